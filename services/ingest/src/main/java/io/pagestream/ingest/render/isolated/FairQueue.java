package io.pagestream.ingest.render.isolated;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The render slots, shared out fairly: a client (an API key's principal, else a remote address) holds at most
 * {@code perClient} of them at once, and when a slot comes back the clients waiting for one are served in turn — one
 * slot each, round-robin, a client served going to the back of the line — rather than in order of arrival, so one
 * client sending many documents at once cannot hold every slot or make everyone else wait behind its queue. A request
 * that gets no slot within its wait is refused (the caller answers 503 BUSY).
 */
final class FairQueue {
    private final int slots;
    private final int perClient;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> held = new HashMap<>();
    /** Clients with requests waiting, in turn order. */
    private final LinkedHashMap<String, ArrayDeque<Waiter>> waiting = new LinkedHashMap<>();

    private int busy;

    private static final class Waiter {
        final Condition granted;
        boolean done;

        Waiter(Condition granted) {
            this.granted = granted;
        }
    }

    FairQueue(int slots, int perClient) {
        if (slots < 1 || perClient < 1) {
            throw new IllegalArgumentException(
                    "slots and each client's share are at least 1: " + slots + ", " + perClient);
        }
        this.slots = slots;
        this.perClient = Math.min(perClient, slots);
    }

    /** Takes a slot for {@code client}, waiting at most {@code wait}; false when none came in time. */
    boolean acquire(String client, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            Waiter waiter = new Waiter(lock.newCondition());
            waiting.computeIfAbsent(client, c -> new ArrayDeque<>()).add(waiter);
            dispatch();
            long nanos = wait.toNanos();
            while (!waiter.done) {
                if (nanos <= 0) {
                    withdraw(client, waiter);
                    return false;
                }
                try {
                    nanos = waiter.granted.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    if (waiter.done) {
                        release(client);
                    } else {
                        withdraw(client, waiter);
                    }
                    throw e;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a slot {@code client} took. */
    void release(String client) {
        lock.lock();
        try {
            int n = held.getOrDefault(client, 0);
            if (n < 1) {
                throw new IllegalStateException(client + " holds no render slot");
            }
            if (n == 1) {
                held.remove(client);
            } else {
                held.put(client, n - 1);
            }
            busy--;
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    int busy() {
        lock.lock();
        try {
            return busy;
        } finally {
            lock.unlock();
        }
    }

    int slots() {
        return slots;
    }

    /** Requests waiting for a slot. */
    int waiting() {
        lock.lock();
        try {
            return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Hands free slots to waiting clients in turn, one each per round, skipping those at their share. */
    private void dispatch() {
        boolean served = true;
        while (busy < slots && served) {
            served = false;
            for (String client : List.copyOf(waiting.keySet())) {
                if (busy >= slots) {
                    return;
                }
                if (held.getOrDefault(client, 0) >= perClient) {
                    continue;
                }
                ArrayDeque<Waiter> queue = waiting.remove(client);
                Waiter next = queue.poll();
                if (!queue.isEmpty()) {
                    waiting.put(client, queue);
                }
                held.merge(client, 1, Integer::sum);
                busy++;
                next.done = true;
                next.granted.signal();
                served = true;
            }
        }
    }

    private void withdraw(String client, Waiter waiter) {
        ArrayDeque<Waiter> queue = waiting.get(client);
        if (queue != null) {
            queue.remove(waiter);
            if (queue.isEmpty()) {
                waiting.remove(client);
            }
        }
    }
}
