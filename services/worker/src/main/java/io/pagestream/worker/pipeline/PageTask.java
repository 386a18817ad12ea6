package io.pagestream.worker.pipeline;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * One polled page record, undecoded: decoding happens off the poll thread.
 *
 * @param headers     the record's headers: its trace context
 * @param polledNanos when it was polled, for latency metrics
 * @param deaths      times a worker process ended with this page at the engine (its partition's committed offset
 *                    metadata says so): above 0 the page runs alone, at {@code max-attempts} it is given up
 */
public record PageTask(
        PartitionLease lease, long offset, String key, byte[] value, Headers headers, long polledNanos, int deaths) {

    public TopicPartition partition() {
        return lease.partition();
    }

    /** Its partition was revoked: the page is dropped unpublished. */
    public boolean abandoned() {
        return lease.revoked();
    }
}
