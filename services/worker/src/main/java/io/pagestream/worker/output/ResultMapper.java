package io.pagestream.worker.output;

import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.Timings;
import io.pagestream.schema.Answer;
import io.pagestream.schema.ModelRun;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.schema.Task;
import io.pagestream.structure.PageGeometry;
import io.pagestream.topics.Topics;
import io.pagestream.worker.model.ModelIdentity;
import io.pagestream.worker.model.PromptSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished page's results as the contracts want them: one {@code PageOcr} when OCR was asked for, one
 * {@code PageAnswers} when QA was (empty when the document has no questions, so the assembler still sees the page
 * done). Both are keyed by document id.
 *
 * <p>Structure: the OCR text is kept as the model wrote it and parsed into {@code PageOcr.structure} in the page's
 * mode ({@link PageStructures}); answers are read by an {@link AnswerReader}. Boxes of both are placed on the page's
 * geometry.
 *
 * <p>Costs: the page's shared work (image encoding and the shared-prefix prefill, once per engine request) is split
 * evenly over its prompts; each prompt's own prefill is added to its result. Answers decode side by side, so their
 * decode time is the longest answer's, not the sum.
 */
public final class ResultMapper {
    private final ModelIdentity model;
    private final String worker;
    private final Clock clock;
    private final AnswerReader reader;

    public ResultMapper(ModelIdentity model, String worker, Clock clock, AnswerReader reader) {
        this.model = model;
        this.worker = worker;
        this.clock = clock;
        this.reader = reader;
    }

    /** @param unasked the page's questions that were not put to the model, answered as failed no-answers */
    public List<OutputRecord> map(
            PageImage page, int tiles, int batchSize, List<PromptResult> results, List<UnaskedQuestion> unasked) {
        double sharedPerPrompt = sharedMillis(results) / Math.max(1, results.size());
        List<OutputRecord> records = new ArrayList<>();
        String key = page.getDocumentId();
        for (PromptResult r : results) {
            if (r.spec().kind() == PromptSpec.Kind.OCR) {
                GenerationResult g = r.result();
                ModelRun run = run(
                        tiles,
                        batchSize,
                        g.promptTokenIds().length,
                        g.tokenIds().length,
                        sharedPerPrompt + g.timings().prefillMs(),
                        g.timings().decodeMs());
                double confidence = Confidence.of(g);
                records.add(new OutputRecord(
                        Topics.PAGES_OCR.name(),
                        key,
                        PageOcr.newBuilder()
                                .setDocumentId(page.getDocumentId())
                                .setPageIndex(page.getPageIndex())
                                .setPageCount(page.getPageCount())
                                .setText(g.text())
                                .setConfidence(confidence)
                                .setWidth(page.getWidth())
                                .setHeight(page.getHeight())
                                .setTruncated(g.finishReason() == FinishReason.LENGTH
                                        || g.finishReason() == FinishReason.REPETITION)
                                .setRun(run)
                                .setCompletedAt(clock.instant())
                                .setTraceparent(page.getTraceparent())
                                .setStructure(PageStructures.parse(page, g.text(), confidence))
                                .build()));
            }
        }
        if (page.getTasks().contains(Task.QA)) {
            records.add(new OutputRecord(
                    Topics.PAGES_ANSWERS.name(),
                    key,
                    answers(page, tiles, batchSize, results, unasked, sharedPerPrompt)));
        }
        return List.copyOf(records);
    }

    private PageAnswers answers(
            PageImage page,
            int tiles,
            int batchSize,
            List<PromptResult> results,
            List<UnaskedQuestion> unasked,
            double sharedPerPrompt) {
        List<Answer> answers = new ArrayList<>();
        PageGeometry geometry = PageStructures.geometry(page);
        int promptTokens = 0;
        int generated = 0;
        double prefill = 0;
        double decode = 0;
        for (PromptResult r : results) {
            if (r.spec().kind() != PromptSpec.Kind.QUESTION) {
                continue;
            }
            GenerationResult g = r.result();
            double confidence = Confidence.of(g);
            AnswerReader.Reading reading = reader.read(g.text(), confidence, geometry, page.getGroundAnswers());
            answers.add(Answer.newBuilder()
                    .setQuestionIndex(r.spec().questionIndex())
                    .setQuestion(r.spec().question())
                    .setText(reading.text())
                    .setConfidence(confidence)
                    .setGeneratedTokens(g.tokenIds().length)
                    .setNoAnswer(reading.noAnswer())
                    .setEvidence(reading.evidence())
                    .build());
            promptTokens += g.promptTokenIds().length;
            generated += g.tokenIds().length;
            prefill += sharedPerPrompt + g.timings().prefillMs();
            decode = Math.max(decode, g.timings().decodeMs());
        }
        // The answer contract has no failure field: an unasked question reads as a no-answer that generated nothing.
        for (UnaskedQuestion q : unasked) {
            answers.add(Answer.newBuilder()
                    .setQuestionIndex(q.questionIndex())
                    .setQuestion(q.question())
                    .setText("")
                    .setConfidence(0)
                    .setGeneratedTokens(0)
                    .setNoAnswer(true)
                    .setEvidence(null)
                    .build());
        }
        answers.sort(Comparator.comparingInt(Answer::getQuestionIndex));
        return PageAnswers.newBuilder()
                .setDocumentId(page.getDocumentId())
                .setPageIndex(page.getPageIndex())
                .setPageCount(page.getPageCount())
                .setAnswers(answers)
                .setRun(run(tiles, batchSize, promptTokens, generated, prefill, decode))
                .setCompletedAt(clock.instant())
                .setTraceparent(page.getTraceparent())
                .build();
    }

    /** Image encoding and shared-prefix prefill, counted once per engine request of the page. */
    private static double sharedMillis(List<PromptResult> results) {
        Map<Integer, Timings> firstOfChunk = new TreeMap<>();
        for (PromptResult r : results) {
            firstOfChunk.putIfAbsent(r.chunk(), r.result().timings());
        }
        return firstOfChunk.values().stream()
                .mapToDouble(t -> t.visionMs() + t.prefixMs())
                .sum();
    }

    private ModelRun run(int tiles, int batchSize, int promptTokens, int generated, double prefillMs, double decodeMs) {
        return ModelRun.newBuilder()
                .setModelId(model.modelId())
                .setModelVersion(model.modelVersion())
                .setTiles(tiles)
                .setPromptTokens(promptTokens)
                .setGeneratedTokens(generated)
                .setPrefillMillis(prefillMs)
                .setDecodeMillis(decodeMs)
                .setBatchSize(batchSize)
                .setWorker(worker)
                .build();
    }
}
