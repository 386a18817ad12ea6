package io.pagestream.worker.pipeline;

import org.apache.kafka.common.TopicPartition;

/**
 * This worker's hold on one partition, from assignment to revocation. Every page polled under it carries it; once
 * revoked, the stages drop its pages wherever they are and nothing of them is published or committed, since the
 * partition's next owner starts again from the last committed offset.
 */
public final class PartitionLease {
    private final TopicPartition partition;
    private volatile boolean revoked;

    public PartitionLease(TopicPartition partition) {
        this.partition = partition;
    }

    public TopicPartition partition() {
        return partition;
    }

    public boolean revoked() {
        return revoked;
    }

    public void revoke() {
        revoked = true;
    }
}
