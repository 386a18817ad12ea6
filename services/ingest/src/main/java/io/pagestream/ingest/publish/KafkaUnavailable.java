package io.pagestream.ingest.publish;

/**
 * Kafka did not take the document in time (slow, unreachable, or every publishing slot busy). The transaction was
 * not committed — or, when a commit timed out, its outcome is unknown — so the client retries later with the same
 * idempotency key (HTTP 503 with Retry-After).
 */
public final class KafkaUnavailable extends Exception {
    public KafkaUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
