package io.pagestream.ingest.health;

import java.util.concurrent.CountDownLatch;

/**
 * A test seam in a supervised loop's heartbeat: armed, the loop's next beat throws the given error (as an
 * {@code OutOfMemoryError} thrown in that thread would) or blocks until it is repaired (a loop stuck in a call).
 * Disarmed, which is how production runs, a beat costs two volatile reads.
 */
public final class FaultSeam {
    private volatile Error error;
    private volatile CountDownLatch hang;

    /** Every beat throws {@code e} until {@link #repair()}. */
    public void failWith(Error e) {
        error = e;
    }

    /** Every beat blocks until {@link #repair()}. */
    public void hang() {
        hang = new CountDownLatch(1);
    }

    public void repair() {
        error = null;
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    void check() {
        CountDownLatch h = hang;
        if (h != null) {
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Error e = error;
        if (e != null) {
            throw e;
        }
    }
}
