package io.pagestream.worker.pipeline;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * One polled page record, undecoded: decoding happens off the poll thread.
 *
 * @param headers     the record's headers: its trace context
 * @param polledNanos when it was polled, for latency metrics
 */
public record PageTask(PartitionLease lease, long offset, String key, byte[] value, Headers headers, long polledNanos) {

    public TopicPartition partition() {
        return lease.partition();
    }

    /** Its partition was revoked: the page is dropped unpublished. */
    public boolean abandoned() {
        return lease.revoked();
    }
}
