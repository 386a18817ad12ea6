package io.pagestream.assembler.testing;

import io.pagestream.schema.Answer;
import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.ModelRun;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageOcr;
import io.pagestream.schema.Task;
import io.pagestream.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records as ingest and the workers publish them, made up by the tests. */
public final class Results {
    public static final Instant SUBMITTED = Instant.parse("2026-11-22T10:00:00Z");
    private static final ModelRun RUN = ModelRun.newBuilder()
            .setModelId("random-tiny")
            .setModelVersion("test")
            .setTiles(1)
            .setPromptTokens(300)
            .setGeneratedTokens(20)
            .setPrefillMillis(5)
            .setDecodeMillis(20)
            .setBatchSize(4)
            .setWorker("worker-test")
            .build();

    private Results() {}

    /**
     * The OCR mode is set although it has a default: a builder makes an enum default through its class's static
     * SpecificData, which under {@code @QuarkusTest} loads the enum from the JVM's class loader rather than Quarkus',
     * and the build fails with a ClassCastException (OcrMode cannot be cast to OcrMode).
     */
    public static DocumentRequest request(String documentId, int pageCount, List<Task> tasks, List<String> questions) {
        return DocumentRequest.newBuilder()
                .setDocumentId(documentId)
                .setMediaType("application/pdf")
                .setSizeBytes(1000L * pageCount)
                .setSha256("0".repeat(64))
                .setPageCount(pageCount)
                .setTasks(tasks)
                .setQuestions(questions)
                .setMetadata(Map.of("customer", "test"))
                .setSubmittedAt(SUBMITTED)
                .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .setOcrMode(OcrMode.MARKDOWN)
                .build();
    }

    public static DocumentRequest request(String documentId, int pageCount, String... questions) {
        return request(
                documentId,
                pageCount,
                questions.length == 0 ? List.of(Task.OCR) : List.of(Task.OCR, Task.QA),
                List.of(questions));
    }

    public static PageOcr ocr(String documentId, int page, int pageCount, String text, double confidence) {
        return ocrBuilder(documentId, page, pageCount, text, confidence).build();
    }

    /** A page as a worker with structured output publishes it: the raw output and its structure. */
    public static PageOcr ocr(String documentId, int page, int pageCount, Structures structure) {
        return ocrBuilder(documentId, page, pageCount, structure.raw(), 0.9)
                .setWidth(Structures.WIDTH)
                .setHeight(Structures.HEIGHT)
                .setStructure(structure.build())
                .build();
    }

    /** No copying builder ({@code newBuilder(record)}): it deep-copies through the class loader trap above. */
    private static PageOcr.Builder ocrBuilder(
            String documentId, int page, int pageCount, String text, double confidence) {
        return PageOcr.newBuilder()
                .setDocumentId(documentId)
                .setPageIndex(page)
                .setPageCount(pageCount)
                .setText(text)
                .setConfidence(confidence)
                .setWidth(1000 + page)
                .setHeight(1400 + page)
                .setRun(RUN)
                .setCompletedAt(SUBMITTED.plusSeconds(page));
    }

    /** The page's text in the tests: {@code text of page N}. */
    public static PageOcr ocr(String documentId, int page, int pageCount) {
        return ocr(documentId, page, pageCount, textOf(page), 0.9);
    }

    public static String textOf(int page) {
        return "text of page " + page;
    }

    /** One answer per confidence given, to questions 0, 1, ...: {@code answer N from page P}. */
    public static PageAnswers answers(String documentId, int page, int pageCount, double... confidences) {
        List<Answer> answers = new ArrayList<>();
        for (int q = 0; q < confidences.length; q++) {
            answers.add(Answer.newBuilder()
                    .setQuestionIndex(q)
                    .setQuestion("question " + q)
                    .setText(answerOf(q, page))
                    .setConfidence(confidences[q])
                    .setGeneratedTokens(3)
                    .build());
        }
        return answers(documentId, page, pageCount, answers);
    }

    /** The answers given, in question order. */
    public static PageAnswers answers(String documentId, int page, int pageCount, List<Answer> answers) {
        return PageAnswers.newBuilder()
                .setDocumentId(documentId)
                .setPageIndex(page)
                .setPageCount(pageCount)
                .setAnswers(answers)
                .setRun(RUN)
                .setCompletedAt(SUBMITTED.plusSeconds(page))
                .build();
    }

    /** An answer to question {@code question}; {@code evidence} may be null. */
    public static Answer answer(int question, String text, double confidence, boolean noAnswer, BoxPlacement evidence) {
        return Answer.newBuilder()
                .setQuestionIndex(question)
                .setQuestion("question " + question)
                .setText(text)
                .setConfidence(confidence)
                .setGeneratedTokens(3)
                .setNoAnswer(noAnswer)
                .setEvidence(evidence)
                .build();
    }

    public static String answerOf(int question, int page) {
        return "answer " + question + " from page " + page;
    }

    public static PageFailure failure(String documentId, int page, int pageCount, String reasonCode) {
        return PageFailure.newBuilder()
                .setDocumentId(documentId)
                .setPageIndex(page)
                .setPageCount(pageCount)
                .setReasonCode(reasonCode)
                .setMessage("page " + page + " failed")
                .setStage("DECODE")
                .setAttempts(1)
                .setSourceTopic(Topics.DOCUMENTS_PAGES.name())
                .setSourcePartition(0)
                .setSourceOffset(page)
                .setWorker("worker-test")
                .setFailedAt(SUBMITTED.plusSeconds(page))
                .build();
    }
}
