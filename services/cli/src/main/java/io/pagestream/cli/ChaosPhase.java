package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.ServiceJvm;
import io.pagestream.stack.SupervisedService;
import io.pagestream.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One run (each instance runs once) of documents through the pipeline: they are submitted through ingest's API (no more than a window of pages
 * in flight, so that submissions, and faults on ingest, spread over the whole run), the {@link FaultPlan}'s faults
 * strike as progress reaches them (one page at least after the one before, all before the last page), and it ends once every document is closed (COMPLETED, INCOMPLETE, REJECTED) or at
 * the deadline. Progress is followed on {@code pages.ocr}, {@code pages.dlq} and {@code documents.status},
 * {@code read_committed}.
 */
final class ChaosPhase {
    private static final List<String> FOLLOWED =
            Topics.names(Topics.PAGES_OCR, Topics.PAGES_DLQ, Topics.DOCUMENTS_STATUS);
    private static final Set<String> CLOSED = Set.of("COMPLETED", "INCOMPLETE", "REJECTED");
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    /** A document as submitted: the id ingest gave it, the key it was sent with, and when it was first sent. */
    record Submission(String documentId, String key, ChaosDocuments.Document document, long submittedAtMillis) {}

    /** What happened: the submissions, the faults that struck (one line each), whether all closed, how long it took. */
    record Outcome(List<Submission> submissions, List<String> faults, boolean allClosed, long wallMillis) {}

    private final LocalPipeline pipeline;
    private final LocalPipeline.Addresses addresses;
    private final PrintWriter log;
    private final Random random;

    private final Map<String, Submission> submitted = new LinkedHashMap<>();
    private final Map<String, Set<Integer>> pagesDone = new HashMap<>();
    private final Set<String> closed = new HashSet<>();
    private final List<String> faultsDone = Collections.synchronizedList(new ArrayList<>());
    private final long start = System.nanoTime();
    private volatile boolean ending;
    private volatile Exception failure;

    ChaosPhase(LocalPipeline pipeline, LocalPipeline.Addresses addresses, PrintWriter log, long seed) {
        this.pipeline = pipeline;
        this.addresses = addresses;
        this.log = log;
        this.random = new Random(seed);
    }

    Outcome run(String name, List<ChaosDocuments.Document> documents, FaultPlan plan, int window, Duration timeout)
            throws Exception {
        long deadline = start + timeout.toNanos();
        int totalPages =
                documents.stream().mapToInt(ChaosDocuments.Document::pages).sum();
        Thread submitter =
                Thread.ofPlatform().daemon().name("chaos-submit").start(() -> submitAll(name, documents, window));
        Thread striker = Thread.ofPlatform().daemon().name("chaos-faults").start(() -> strike(plan, totalPages));
        int reported = -1;
        try (DecodingConsumer consumer =
                new DecodingConsumer(addresses.kafka(), addresses.registry(), FOLLOWED, true)) {
            while (!ending) {
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(250))) {
                    follow(record);
                }
                int done = pagesDone();
                if (done / 50 != reported / 50 || done == totalPages && reported != done) {
                    log.printf(
                            Locale.ROOT,
                            "%s: %d/%d pages done, %d/%d documents closed, %d faults, %.0f s%n",
                            name,
                            done,
                            totalPages,
                            closedCount(),
                            documents.size(),
                            faultsDone.size(),
                            seconds());
                    log.flush();
                    reported = done;
                }
                if (failure != null) {
                    throw failure;
                }
                // Every fault is due before the last page is done, so the plan has run out by the time all is closed.
                if (!submitter.isAlive() && !striker.isAlive() && allClosed(documents.size())) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    log.println(name + ": the deadline (" + timeout + ") passed with documents still open");
                    break;
                }
                Optional<ChildProcess> lost = pipeline.lost();
                if (lost.isPresent()) {
                    log.println(name + ": " + lost.get().name() + " is down for good");
                    break;
                }
            }
        } finally {
            ending = true;
            submitter.interrupt();
            striker.interrupt();
            submitter.join(Duration.ofSeconds(30));
            striker.join(Duration.ofMinutes(2));
        }
        synchronized (this) {
            return new Outcome(
                    List.copyOf(submitted.values()),
                    List.copyOf(faultsDone),
                    !submitter.isAlive() && allClosed(documents.size()),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private synchronized void follow(ConsumerRecord<String, GenericRecord> record) {
        GenericRecord value = record.value();
        if (value == null) {
            return;
        }
        String id = String.valueOf(value.get("documentId"));
        if (record.topic().equals(Topics.DOCUMENTS_STATUS.name())) {
            if (CLOSED.contains(String.valueOf(value.get("state")))) {
                closed.add(id);
            }
        } else {
            pagesDone.computeIfAbsent(id, k -> new HashSet<>()).add((Integer) value.get("pageIndex"));
        }
        notifyAll();
    }

    private synchronized int pagesDone() {
        return submitted.keySet().stream()
                .mapToInt(id -> pagesDone.getOrDefault(id, Set.of()).size())
                .sum();
    }

    private synchronized int closedCount() {
        return (int) submitted.keySet().stream().filter(closed::contains).count();
    }

    private synchronized boolean allClosed(int documents) {
        return submitted.size() == documents && closed.containsAll(submitted.keySet());
    }

    private synchronized int pagesInFlight() {
        return submitted.values().stream()
                .filter(s -> !closed.contains(s.documentId()))
                .mapToInt(s -> s.document().pages())
                .sum();
    }

    private void submitAll(String name, List<ChaosDocuments.Document> documents, int window) {
        IngestClient ingest = new IngestClient(addresses.ingest().orElseThrow(), Credentials.none(), 120, log);
        try {
            for (ChaosDocuments.Document document : documents) {
                synchronized (this) {
                    while (pagesInFlight() > 0 && pagesInFlight() + document.pages() > window) {
                        wait(1000);
                    }
                }
                String key = "chaos-" + name + "-" + UUID.randomUUID();
                long at = System.currentTimeMillis();
                JsonNode accepted = ingest.submit(document.file(), document.questions(), null, false, key);
                String id = accepted.path("documentId").asText();
                synchronized (this) {
                    submitted.put(id, new Submission(id, key, document, at));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!ending) {
                failure = e;
            }
        }
    }

    private void strike(FaultPlan plan, int totalPages) {
        try {
            int last = -1;
            for (FaultPlan.Fault fault : plan.faults()) {
                // At least one page done since the last fault, so that each one strikes a pipeline that has recovered
                // from the one before and is working again, rather than several at one instant; but never later than
                // the last page, so that every fault strikes while documents are open.
                int due = Math.max(fault.atPages(), Math.min(last + 1, totalPages - 1));
                synchronized (this) {
                    while (pagesDone() < due) {
                        wait(1000);
                    }
                }
                if (fault.target().equals(FaultPlan.BROKER)) {
                    long t0 = System.nanoTime();
                    pipeline.crashAndRestartBroker();
                    done(String.format(
                            Locale.ROOT,
                            "broker killed and restarted (%.1f s) at %d pages done",
                            (System.nanoTime() - t0) / 1e9,
                            pagesDone()));
                } else {
                    ServiceJvm victim = ready(instance(fault.target()));
                    victim.kill();
                    done(String.format(
                            Locale.ROOT,
                            "%s (pid %d) killed at %d pages done",
                            victim.name(),
                            victim.pid(),
                            pagesDone()));
                }
                last = pagesDone();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!ending) {
                failure = e;
            }
        }
    }

    private void done(String what) {
        String line = String.format(Locale.ROOT, "%s (%.0f s into the run)", what, seconds());
        faultsDone.add(line);
        log.println("chaos: " + line);
        log.flush();
    }

    /** One of the service's instances, drawn at random: {@code worker} picks among {@code worker}, {@code worker-2} … */
    private SupervisedService instance(String service) {
        List<SupervisedService> instances = pipeline.services().entrySet().stream()
                .filter(e -> e.getKey().equals(service) || e.getKey().startsWith(service + "-"))
                .map(Map.Entry::getValue)
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
        if (instances.isEmpty()) {
            throw new IllegalStateException("no " + service + " is running");
        }
        return instances.get(random.nextInt(instances.size()));
    }

    /** Its current JVM once that serves: a service is killed while it works, not while the supervisor restarts it. */
    private ServiceJvm ready(SupervisedService service) throws InterruptedException {
        long until = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < until) {
            ServiceJvm current = service.current();
            if (current.isAlive() && answersReady(current)) {
                return current;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service.name() + " was not ready again within " + READY_WITHIN);
    }

    private static boolean answersReady(ServiceJvm service) {
        try {
            return service.getManagement(ServiceJvm.READY_PATH).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
