package io.pagestream.assembler.state;

import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.Task;
import java.util.List;
import java.util.Map;

/**
 * What the assembler keeps of a document's request: enough to know when it is complete and to label its outputs.
 *
 * @param ocr         OCR was requested: a page needs its text before it is done
 * @param qa          question answering was requested: a page needs its answers before it is done
 * @param submittedAt when ingest accepted the document (epoch milliseconds)
 * @param traceparent W3C trace context of the submission, or null
 * @param tenant      who submitted the document: its outputs carry it and only it may read the document; state written
 *                    before tenants reads as the contracts' default tenant
 */
public record RequestSummary(
        int pageCount,
        boolean ocr,
        boolean qa,
        List<String> questions,
        Map<String, String> metadata,
        long submittedAt,
        String traceparent,
        String tenant) {
    /** The contracts' default tenant ({@code DocumentRequest.tenant}). */
    public static final String DEFAULT_TENANT = "default";

    public RequestSummary {
        tenant = tenant == null ? DEFAULT_TENANT : tenant;
        questions = List.copyOf(questions);
        metadata = Map.copyOf(metadata);
    }

    public static RequestSummary of(DocumentRequest request) {
        return new RequestSummary(
                request.getPageCount(),
                request.getTasks().contains(Task.OCR),
                request.getTasks().contains(Task.QA),
                request.getQuestions(),
                request.getMetadata(),
                request.getSubmittedAt().toEpochMilli(),
                request.getTraceparent(),
                request.getTenant());
    }

    public boolean hasPage(int pageIndex) {
        return pageIndex >= 0 && pageIndex < pageCount;
    }
}
