package io.pagestream.worker.pipeline;

import io.opentelemetry.context.Context;
import io.pagestream.worker.output.OutputRecord;
import java.util.List;

/**
 * What a page came to: the records to publish in the transaction that commits its offset.
 *
 * @param failureReason the reason code when the records are a failure, null for results
 * @param trace         the context of the span that produced the records, sent in their headers
 */
public record PageOutcome(PageTask task, List<OutputRecord> records, String failureReason, Context trace) {

    public PageOutcome {
        records = List.copyOf(records);
    }

    public boolean failed() {
        return failureReason != null;
    }
}
