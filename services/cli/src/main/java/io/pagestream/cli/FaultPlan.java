package io.pagestream.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * When {@code chaos} strikes: each fault is due once the pipeline has finished a seeded random number of pages, so
 * faults land while documents are being processed whatever this machine's speed, and the same seed strikes at the same
 * points of progress.
 */
record FaultPlan(List<Fault> faults) {
    /** The parts {@code --kill} may name. */
    static final Set<String> KILLABLE = Set.of("worker", "assembler", "ingest");

    static final String BROKER = "broker";

    /** Strike {@code target} (a service, or {@link #BROKER}) once {@code atPages} pages are done. */
    record Fault(String target, int atPages) {}

    static final FaultPlan NONE = new FaultPlan(List.of());

    /**
     * Parses {@code worker:20,assembler:5} into a count per service; refuses unknown parts and negative counts with an
     * {@link IllegalArgumentException} whose message says what is wrong.
     */
    static Map<String, Integer> parseKills(String spec) {
        Map<String, Integer> kills = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return kills;
        }
        for (String part : spec.split(",")) {
            String[] nameAndCount = part.trim().split(":");
            if (nameAndCount.length != 2 || !KILLABLE.contains(nameAndCount[0])) {
                throw new IllegalArgumentException(
                        "--kill takes PART:COUNT,… with PART one of " + KILLABLE + ", not '" + part.trim() + "'");
            }
            int count;
            try {
                count = Integer.parseInt(nameAndCount[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--kill: '" + nameAndCount[1] + "' is not a count");
            }
            if (count < 0) {
                throw new IllegalArgumentException("--kill: a count cannot be negative: " + part.trim());
            }
            kills.merge(nameAndCount[0], count, Integer::sum);
        }
        return kills;
    }

    /**
     * Each kill and broker restart at a random point between 2 % and 95 % of {@code totalPages}, in order of that
     * point: the first pages warm the pipeline up, and the last ones are still to be processed after the last fault.
     */
    static FaultPlan random(Map<String, Integer> kills, int brokerRestarts, int totalPages, long seed) {
        Random random = new Random(seed);
        int from = Math.max(1, totalPages * 2 / 100);
        int to = Math.max(from + 1, totalPages * 95 / 100);
        List<Fault> faults = new ArrayList<>();
        Map<String, Integer> all = new LinkedHashMap<>(kills);
        all.put(BROKER, brokerRestarts);
        all.forEach((target, count) -> {
            for (int i = 0; i < count; i++) {
                faults.add(new Fault(target, from + random.nextInt(to - from)));
            }
        });
        faults.sort(Comparator.comparingInt(Fault::atPages));
        return new FaultPlan(List.copyOf(faults));
    }

    /** How many faults strike each target. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        faults.forEach(f -> counts.merge(f.target(), 1, Integer::sum));
        return counts;
    }
}
