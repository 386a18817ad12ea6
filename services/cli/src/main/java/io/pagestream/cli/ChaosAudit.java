package io.pagestream.cli;

import io.pagestream.topics.Topics;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads every topic of the pipeline as a downstream consumer would ({@link TopicSnapshot}) and checks a run's
 * documents against it: a document is lost unless it was closed COMPLETED or INCOMPLETE with all its OCR (and answer)
 * chunks out; a page is lost unless the document's OCR holds it or it failed (PAGE_FAILED or a DLQ record); anything
 * emitted twice for one identity is a duplicate. Latency runs from the first sending of the document to its closing
 * status event.
 */
final class ChaosAudit {
    /** Every topic, each with what identifies one record of it: a second record with the same identity is a duplicate. */
    private static final Map<String, Function<GenericRecord, String>> IDENTITY = new LinkedHashMap<>();

    static {
        IDENTITY.put(Topics.DOCUMENTS_REQUESTS.name(), r -> id(r));
        IDENTITY.put(Topics.DOCUMENTS_PAGES.name(), r -> id(r) + "/" + r.get("pageIndex"));
        IDENTITY.put(Topics.PAGES_OCR.name(), r -> id(r) + "/" + r.get("pageIndex"));
        IDENTITY.put(Topics.PAGES_ANSWERS.name(), r -> id(r) + "/" + r.get("pageIndex"));
        IDENTITY.put(Topics.PAGES_DLQ.name(), r -> id(r) + "/" + r.get("pageIndex"));
        IDENTITY.put(Topics.DOCUMENTS_OCR.name(), r -> id(r) + "/" + r.get("chunkIndex"));
        IDENTITY.put(Topics.DOCUMENTS_ANSWERS.name(), r -> id(r) + "/" + r.get("chunkIndex"));
        IDENTITY.put(Topics.DOCUMENTS_STATUS.name(), r -> id(r) + "/" + r.get("state") + "/" + r.get("pageIndex"));
    }

    private static final Set<String> CLOSING = Set.of("COMPLETED", "INCOMPLETE", "REJECTED");

    private final Map<String, List<GenericRecord>> topics;

    ChaosAudit(Map<String, List<GenericRecord>> topics) {
        this.topics = topics;
    }

    /** Reads every topic now. */
    static ChaosAudit read(String bootstrap, String registryUrl) {
        Map<String, List<GenericRecord>> topics = new LinkedHashMap<>();
        IDENTITY.keySet().forEach(topic -> topics.put(topic, TopicSnapshot.read(bootstrap, registryUrl, topic)));
        return new ChaosAudit(topics);
    }

    ChaosFigures figures(String name, ChaosPhase.Outcome outcome) {
        Map<String, ChaosPhase.Submission> mine = new LinkedHashMap<>();
        outcome.submissions().forEach(s -> mine.put(s.documentId(), s));
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        IDENTITY.forEach((topic, identity) -> {
            Set<String> seen = new HashSet<>();
            int extra = 0;
            for (GenericRecord r : ofMine(topic, mine.keySet())) {
                if (!seen.add(identity.apply(r))) {
                    extra++;
                }
            }
            duplicates.put(topic, extra);
        });
        Set<String> keys = new HashSet<>();
        outcome.submissions().forEach(s -> keys.add(s.key()));
        int split = (int) topics.getOrDefault(Topics.DOCUMENTS_REQUESTS.name(), List.of()).stream()
                .filter(r -> keys.contains(String.valueOf(r.get("idempotencyKey"))) && !mine.containsKey(id(r)))
                .map(ChaosAudit::id)
                .distinct()
                .count();

        Map<String, String> closedAs = new HashMap<>();
        Map<String, Long> closedAt = new HashMap<>();
        Map<String, Set<Integer>> failedPages = new HashMap<>();
        Map<String, Integer> pageFailed = new TreeMap<>();
        Map<String, Integer> incomplete = new TreeMap<>();
        Map<String, Integer> rejected = new TreeMap<>();
        for (GenericRecord r : ofMine(Topics.DOCUMENTS_STATUS.name(), mine.keySet())) {
            String state = String.valueOf(r.get("state"));
            String reason = String.valueOf(r.get("reasonCode"));
            if (state.equals("PAGE_FAILED")) {
                pageFailed.merge(reason, 1, Integer::sum);
                failedPages.computeIfAbsent(id(r), k -> new HashSet<>()).add((Integer) r.get("pageIndex"));
            } else if (CLOSING.contains(state) && closedAs.putIfAbsent(id(r), state) == null) {
                closedAt.put(id(r), millis(r.get("at")));
                if (state.equals("INCOMPLETE")) {
                    incomplete.merge(reason, 1, Integer::sum);
                } else if (state.equals("REJECTED")) {
                    rejected.merge(reason, 1, Integer::sum);
                }
            }
        }
        for (GenericRecord r : ofMine(Topics.PAGES_DLQ.name(), mine.keySet())) {
            failedPages.computeIfAbsent(id(r), k -> new HashSet<>()).add((Integer) r.get("pageIndex"));
        }
        Map<String, Chunks> ocr = chunks(Topics.DOCUMENTS_OCR.name(), mine.keySet());
        Map<String, Chunks> answers = chunks(Topics.DOCUMENTS_ANSWERS.name(), mine.keySet());

        int documentsLost = 0;
        int pagesLost = 0;
        long[] latencies = new long[mine.size()];
        int closed = 0;
        for (ChaosPhase.Submission s : mine.values()) {
            String id = s.documentId();
            String state = closedAs.get(id);
            Chunks text = ocr.getOrDefault(id, Chunks.NONE);
            boolean whole = state != null
                    && !state.equals("REJECTED")
                    && text.complete()
                    && (s.document().questions().isEmpty()
                            || answers.getOrDefault(id, Chunks.NONE).complete());
            if (!whole) {
                documentsLost++;
            }
            Set<Integer> accounted = new HashSet<>(text.pages());
            accounted.addAll(failedPages.getOrDefault(id, Set.of()));
            accounted.removeIf(page -> page < 0 || page >= s.document().pages());
            pagesLost += s.document().pages() - accounted.size();
            if (state != null) {
                latencies[closed++] = closedAt.get(id) - s.submittedAtMillis();
            }
        }
        long[] sorted = Arrays.copyOf(latencies, closed);
        Arrays.sort(sorted);
        return new ChaosFigures(
                name,
                mine.size(),
                mine.values().stream().mapToInt(s -> s.document().pages()).sum(),
                outcome.faults(),
                outcome.wallMillis() / 1000.0,
                outcome.allClosed(),
                documentsLost,
                pagesLost,
                duplicates,
                split,
                pageFailed,
                incomplete,
                rejected,
                percentile(sorted, 50),
                percentile(sorted, 99));
    }

    /** The distinct chunks of a document's output seen, of how many, and the pages they hold. */
    private record Chunks(Set<Integer> indexes, int count, Set<Integer> pages) {
        static final Chunks NONE = new Chunks(Set.of(), -1, Set.of());

        boolean complete() {
            return count > 0 && indexes.size() == count;
        }
    }

    private Map<String, Chunks> chunks(String topic, Set<String> mine) {
        Map<String, Chunks> chunks = new HashMap<>();
        for (GenericRecord r : ofMine(topic, mine)) {
            Chunks c = chunks.computeIfAbsent(
                    id(r), k -> new Chunks(new HashSet<>(), (Integer) r.get("chunkCount"), new HashSet<>()));
            c.indexes().add((Integer) r.get("chunkIndex"));
            if (r.getSchema().getField("pages") != null) {
                ((Collection<?>) r.get("pages"))
                        .forEach(p -> c.pages().add((Integer) ((GenericRecord) p).get("pageIndex")));
            }
        }
        return chunks;
    }

    private List<GenericRecord> ofMine(String topic, Set<String> mine) {
        return topics.getOrDefault(topic, List.of()).stream()
                .filter(r -> mine.contains(id(r)))
                .toList();
    }

    private static String id(GenericRecord r) {
        return String.valueOf(r.get("documentId"));
    }

    private static long millis(Object at) {
        return at instanceof Instant instant ? instant.toEpochMilli() : ((Number) at).longValue();
    }

    /** Nearest rank, in seconds; 0 when nothing closed. */
    private static double percentile(long[] sortedMillis, int p) {
        if (sortedMillis.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedMillis.length);
        return sortedMillis[Math.max(0, rank - 1)] / 1000.0;
    }
}
