package io.pagestream.ingest.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends fuzz cases to a running ingest and keeps what came back: a histogram of status and reason, and every case
 * that broke the rule — a 5xx other than the documented 503 with Retry-After, or no answer at all — with the seed
 * that replays it.
 */
public final class FuzzRun {
    private final RawHttp http;
    private final FuzzCases cases = new FuzzCases();
    private final long seed;
    private final AtomicLong nextIndex = new AtomicLong();
    private final LongAdder sent = new LongAdder();
    private final Map<String, LongAdder> histogram = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    public FuzzRun(RawHttp http, long seed) {
        this.http = http;
        this.seed = seed;
    }

    /** Sends cases on {@code threads} threads until {@code count} were sent or {@code duration} passed. */
    public void run(long count, Duration duration, int threads) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("fuzz-" + t).start(() -> {
                long index;
                while (System.nanoTime() < deadline && (index = nextIndex.getAndIncrement()) < count) {
                    send(index);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /** Sends the case with its own seed {@code caseSeed}, once; the answer. */
    public RawHttp.Answer replay(long caseSeed) {
        FuzzCases.FuzzCase c = cases.of(caseSeed);
        return http.post("/v1/documents", c.contentType(), c.body());
    }

    private void send(long index) {
        long caseSeed = FuzzCases.caseSeed(seed, index);
        FuzzCases.FuzzCase c = cases.of(caseSeed);
        RawHttp.Answer answer = http.post("/v1/documents", c.contentType(), c.body());
        sent.increment();
        String key = answer.answered() ? answer.status() + " " + answer.reason() : "no answer";
        histogram.computeIfAbsent(key, k -> new LongAdder()).increment();
        boolean documented503 = answer.status() == 503 && answer.hasHeader("Retry-After");
        if (!answer.answered() || (answer.status() >= 500 && !documented503)) {
            failures.add(String.format(
                    "case %d (replay with --replay %d): %s -> %s",
                    index, caseSeed, c.label(), abbreviated(answer.toString())));
        }
    }

    public long sent() {
        return sent.sum();
    }

    public long seed() {
        return seed;
    }

    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Status and reason → cases, sorted. */
    public Map<String, Long> histogram() {
        Map<String, Long> sorted = new TreeMap<>();
        histogram.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }

    private static String abbreviated(String s) {
        String line = s.replace('\n', ' ');
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
