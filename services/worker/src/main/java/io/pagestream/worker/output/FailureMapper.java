package io.pagestream.worker.output;

import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageFailure;
import io.pagestream.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A given-up page as the contracts want it: a {@code PageFailure} on the DLQ pointing at the original record (so it
 * can be replayed), and a {@code PAGE_FAILED} status event, both keyed by document id. The status leaves
 * {@code pagesDone} at 0: only the assembler counts a document's pages.
 */
public final class FailureMapper {
    private final String worker;
    private final Clock clock;

    public FailureMapper(String worker, Clock clock) {
        this.worker = worker;
        this.clock = clock;
    }

    public List<OutputRecord> map(
            PageRef page, String sourceTopic, int sourcePartition, long sourceOffset, Failure failure, int attempts) {
        Instant now = clock.instant();
        PageFailure dlq = PageFailure.newBuilder()
                .setDocumentId(page.documentId())
                .setPageIndex(page.pageIndex())
                .setPageCount(page.pageCount())
                .setReasonCode(failure.reasonCode())
                .setMessage(failure.message())
                .setStage(failure.stage().name())
                .setAttempts(attempts)
                .setSourceTopic(sourceTopic)
                .setSourcePartition(sourcePartition)
                .setSourceOffset(sourceOffset)
                .setWorker(worker)
                .setFailedAt(now)
                .setTraceparent(page.traceparent())
                .build();
        DocumentStatus status = DocumentStatus.newBuilder()
                .setDocumentId(page.documentId())
                .setState(DocumentState.PAGE_FAILED)
                .setReasonCode(failure.reasonCode())
                .setMessage("page " + page.pageIndex() + ": " + failure.message())
                .setPageIndex(page.pageIndex() < 0 ? null : page.pageIndex())
                .setPageCount(page.pageCount())
                .setAt(now)
                .setTraceparent(page.traceparent())
                .setTenant(page.tenant())
                .build();
        return List.of(
                new OutputRecord(Topics.PAGES_DLQ.name(), page.documentId(), dlq),
                new OutputRecord(Topics.DOCUMENTS_STATUS.name(), page.documentId(), status));
    }
}
