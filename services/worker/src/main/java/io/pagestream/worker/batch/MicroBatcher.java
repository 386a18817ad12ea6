package io.pagestream.worker.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Collects pages into micro-batches. A batch closes when it has {@link BatchLimits#pages()} pages, when the next
 * page would take it over the prompt (engine slot) or token budget, or when its first page has waited
 * {@code linger} — whichever comes first. Pages keep their arrival order; a page over the token budget on its own
 * still runs, alone. A page marked {@link Batchable#isolated()} always makes a batch of its own.
 *
 * <p>The queue is bounded: {@link #put} blocks the decoding threads while it is full, which in turn fills the
 * decode queue and pauses the consumer. Retries go to the front with {@link #putFirst}, which never blocks, so a
 * failed batch cannot deadlock on its own queue.
 */
public final class MicroBatcher<T extends Batchable> {
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
    private boolean closed;

    private record Entry<T>(T item, long readyNanos) {}

    public MicroBatcher(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Adds a page at the back, waiting while the queue is full. Returns false when closed. */
    public boolean put(T item) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.size() >= capacity && !closed) {
                notFull.await();
            }
            if (closed) {
                return false;
            }
            queue.addLast(new Entry<>(item, System.nanoTime()));
            notEmpty.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a retried page at the front, at once, over capacity if need be. */
    public void putFirst(T item) {
        lock.lock();
        try {
            queue.addFirst(new Entry<>(item, System.nanoTime()));
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next batch: waits for a first page, then up to {@code linger} after it became ready for more. Empty only
     * when closed and drained.
     */
    public List<T> next(BatchLimits limits, Duration linger) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty() && !closed) {
                notEmpty.await();
            }
            List<T> batch = new ArrayList<>();
            if (queue.isEmpty()) {
                return batch;
            }
            Entry<T> first = queue.pollFirst();
            batch.add(first.item());
            notFull.signalAll();
            if (first.item().isolated()) {
                return batch;
            }
            int prompts = first.item().promptCount();
            long tokens = first.item().tokens();
            long deadline = first.readyNanos() + linger.toNanos();
            while (batch.size() < limits.pages()) {
                Entry<T> head = queue.peekFirst();
                if (head == null) {
                    long wait = deadline - System.nanoTime();
                    if (wait <= 0 || closed) {
                        break;
                    }
                    notEmpty.awaitNanos(wait);
                    continue;
                }
                T item = head.item();
                if (item.isolated()
                        || prompts + item.promptCount() > limits.prompts()
                        || tokens + item.tokens() > limits.tokenBudget()) {
                    break;
                }
                queue.pollFirst();
                notFull.signalAll();
                batch.add(item);
                prompts += item.promptCount();
                tokens += item.tokens();
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Pages waiting. */
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter; {@link #next} then drains what is left and returns empty batches. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
