package io.pagestream.worker.delivery;

/**
 * A transaction that did not commit. Fatal when the producer can no longer be used (fenced by a newer instance with
 * the same transactional id, or refused by the broker): the worker then starts a fresh Kafka session. Otherwise the
 * transaction was aborted and the same pages are published again at the next commit.
 */
public final class DeliveryException extends Exception {
    private final boolean fatal;

    public DeliveryException(String message, Throwable cause, boolean fatal) {
        super(message, cause);
        this.fatal = fatal;
    }

    public boolean fatal() {
        return fatal;
    }
}
