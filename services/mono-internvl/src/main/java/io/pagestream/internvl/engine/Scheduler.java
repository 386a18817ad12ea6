package io.pagestream.internvl.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue between submitting threads and the engine thread, and the admission rule: pages start in arrival order
 * (a page that needs more free slots than there are waits, and the pages behind it wait too, so none starves), all
 * prompts of a page at once, since they share its prefill.
 */
final class Scheduler {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingPage> queue = new ArrayDeque<>();
    private boolean closed;

    /** @throws IllegalStateException once closed */
    void add(PendingPage page) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the engine is closed");
            }
            queue.addLast(page);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next page when its prompts fit in {@code freeSlots}, else null. */
    PendingPage next(int freeSlots) {
        lock.lock();
        try {
            PendingPage head = queue.peekFirst();
            return head != null && head.prompts().size() <= freeSlots ? queue.pollFirst() : null;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks while nothing is queued; false once closed. */
    boolean awaitWork() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                changed.await();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further pages and wakes the engine thread; the pages still queued stay for {@link #drain}. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes every page still queued. */
    List<PendingPage> drain() {
        lock.lock();
        try {
            List<PendingPage> left = new ArrayList<>(queue);
            queue.clear();
            return left;
        } finally {
            lock.unlock();
        }
    }
}
