package io.pagestream.assembler.output;

import io.pagestream.assembler.state.RequestSummary;
import io.pagestream.schema.AnswerCandidate;
import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.OcrPage;
import io.pagestream.schema.QuestionAnswers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The records a document is closed with: per chunk, its OCR (when OCR was requested) and its answers (when QA was
 * requested); then its COMPLETED or INCOMPLETE status, last. The store is read once to survey the document and once
 * per chunk, so only one chunk is ever held in memory.
 */
public final class DocumentOutputs {
    /** Reason code of an INCOMPLETE status: no new page result came for the configured timeout. */
    public static final String TIMEOUT = "TIMEOUT";

    private DocumentOutputs() {}

    /**
     * @param complete true when every page is done (COMPLETED), false when the document timed out (INCOMPLETE)
     * @param timeout  the timeout that closed an incomplete document, for its status message
     * @param maxMissingPages most missing pages an INCOMPLETE status lists (the first ones)
     */
    public static void emit(
            String documentId,
            RequestSummary request,
            boolean complete,
            Duration timeout,
            long closedAt,
            PageSource source,
            ChunkLimits limits,
            int maxMissingPages,
            Consumer<SpecificRecord> out) {
        Survey survey = Survey.of(documentId, request, source, limits);
        List<PageRange> chunks = survey.chunks();
        Instant at = Instant.ofEpochMilli(closedAt);
        for (int i = 0; i < chunks.size(); i++) {
            ChunkContent content = ChunkContent.read(request, survey, source, chunks.get(i));
            if (request.ocr()) {
                out.accept(DocumentOcr.newBuilder()
                        .setDocumentId(documentId)
                        .setPageCount(request.pageCount())
                        .setChunkIndex(i)
                        .setChunkCount(chunks.size())
                        .setPages(content.pages().stream()
                                .map(DocumentOutputs::ocrPage)
                                .toList())
                        .setFullText(content.fullText())
                        .setMarkdown(content.markdown())
                        .setComplete(complete)
                        .setMetadata(request.metadata())
                        .setCompletedAt(at)
                        .setTenant(request.tenant())
                        .build());
            }
            if (request.qa()) {
                out.accept(DocumentAnswers.newBuilder()
                        .setDocumentId(documentId)
                        .setPageCount(request.pageCount())
                        .setChunkIndex(i)
                        .setChunkCount(chunks.size())
                        .setQuestions(content.questions().stream()
                                .map(DocumentOutputs::questionAnswers)
                                .toList())
                        .setComplete(complete)
                        .setMetadata(request.metadata())
                        .setCompletedAt(at)
                        .setTenant(request.tenant())
                        .build());
            }
        }
        out.accept(status(documentId, request, survey, complete, timeout, maxMissingPages, at));
    }

    private static DocumentStatus status(
            String documentId,
            RequestSummary request,
            Survey survey,
            boolean complete,
            Duration timeout,
            int maxMissingPages,
            Instant at) {
        int pageCount = request.pageCount();
        List<Integer> missing = survey.missingPages();
        List<Integer> failed = survey.failedPages();
        String failures = failed.isEmpty() ? "" : "; " + failed.size() + " failed: " + abbreviated(failed);
        DocumentStatus.Builder status = DocumentStatus.newBuilder()
                .setDocumentId(documentId)
                .setPageCount(pageCount)
                .setPagesDone(pageCount - missing.size())
                .setAt(at)
                .setTraceparent(request.traceparent())
                .setTenant(request.tenant());
        if (complete) {
            return status.setState(DocumentState.COMPLETED)
                    .setMessage("all " + pageCount + " pages done" + failures)
                    .build();
        }
        return status.setState(DocumentState.INCOMPLETE)
                .setReasonCode(TIMEOUT)
                .setMissingPages(missing.subList(0, Math.min(missing.size(), maxMissingPages)))
                .setMessage("no new page result for " + timeout + "; " + missing.size() + " of " + pageCount
                        + " pages missing: " + abbreviated(missing) + listed(missing.size(), maxMissingPages)
                        + failures)
                .build();
    }

    /** Says that missingPages lists only the first ones, when it does. */
    private static String listed(int missing, int maxMissingPages) {
        return missing <= maxMissingPages
                ? ""
                : " (missingPages lists the first " + maxMissingPages + "; " + (missing - maxMissingPages)
                        + " more not listed)";
    }

    private static String abbreviated(List<Integer> pages) {
        int shown = 20;
        return pages.size() <= shown
                ? pages.toString()
                : pages.subList(0, shown).toString().replace("]", ", ... (" + (pages.size() - shown) + " more)]");
    }

    private static OcrPage ocrPage(PageOutcome page) {
        return new OcrPage(
                page.pageIndex(),
                page.text(),
                page.confidence(),
                page.width(),
                page.height(),
                page.failure(),
                page.structure());
    }

    private static QuestionAnswers questionAnswers(QuestionOutcome question) {
        return new QuestionAnswers(
                question.questionIndex(),
                question.question(),
                candidate(question.best()),
                question.candidates().stream().map(DocumentOutputs::candidate).toList(),
                question.noAnswer());
    }

    private static AnswerCandidate candidate(Candidate candidate) {
        return candidate == null
                ? null
                : new AnswerCandidate(
                        candidate.pageIndex(),
                        candidate.text(),
                        candidate.confidence(),
                        candidate.noAnswer(),
                        candidate.evidence());
    }
}
