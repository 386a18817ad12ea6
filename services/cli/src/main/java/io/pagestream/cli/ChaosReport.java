package io.pagestream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/** The figures of the baseline and of the run under faults side by side, with their ratios, as text or one JSON object. */
record ChaosReport(long seed, Map<String, Integer> faultsPlanned, ChaosFigures baseline, ChaosFigures chaos) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Nothing lost or duplicated in either run, and every document closed. */
    boolean passed() {
        return chaos.clean() && chaos.allClosed() && (baseline == null || baseline.clean() && baseline.allClosed());
    }

    String json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("seed", seed);
        o.put("faultsPlanned", faultsPlanned);
        o.put("baseline", baseline);
        o.put("chaos", chaos);
        Map<String, Double> ratios = new LinkedHashMap<>();
        if (baseline != null) {
            ratios.put("latencyP50", ratio(chaos.latencyP50Seconds(), baseline.latencyP50Seconds()));
            ratios.put("latencyP99", ratio(chaos.latencyP99Seconds(), baseline.latencyP99Seconds()));
            ratios.put("pagesPerSecond", ratio(rate(chaos), rate(baseline)));
        }
        o.put("ratios", ratios);
        o.put("passed", passed());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> text() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "chaos: %d pages in %d documents, seed %d, faults planned %s",
                chaos.pages(),
                chaos.documents(),
                seed,
                faultsPlanned));
        lines.add(String.format(Locale.ROOT, "  %-34s %12s %12s %8s", "", "baseline", "chaos", "ratio"));
        row(lines, "documents", ChaosFigures::documents);
        row(lines, "documents lost", ChaosFigures::documentsLost);
        row(lines, "pages lost", ChaosFigures::pagesLost);
        for (String topic : chaos.duplicates().keySet()) {
            row(lines, "emitted twice: " + topic, f -> f.duplicates().get(topic));
        }
        row(lines, "submissions split in two", ChaosFigures::split);
        row(lines, "PAGE_FAILED", f -> sum(f.pageFailed()));
        row(lines, "INCOMPLETE", f -> sum(f.incomplete()));
        row(lines, "REJECTED", f -> sum(f.rejected()));
        seconds(lines, "latency p50 (submit to closed)", ChaosFigures::latencyP50Seconds);
        seconds(lines, "latency p99", ChaosFigures::latencyP99Seconds);
        seconds(lines, "wall time", ChaosFigures::wallSeconds);
        lines.add(String.format(
                Locale.ROOT,
                "  %-34s %12s %12s %8s",
                "pages per second",
                baseline == null ? "-" : String.format(Locale.ROOT, "%.2f", rate(baseline)),
                String.format(Locale.ROOT, "%.2f", rate(chaos)),
                baseline == null ? "" : String.format(Locale.ROOT, "%.2f", ratio(rate(chaos), rate(baseline)))));
        reasons(lines, "PAGE_FAILED reasons", ChaosFigures::pageFailed);
        reasons(lines, "INCOMPLETE reasons", ChaosFigures::incomplete);
        reasons(lines, "REJECTED reasons", ChaosFigures::rejected);
        lines.add("  faults struck (" + chaos.faults().size() + "):");
        chaos.faults().forEach(f -> lines.add("    " + f));
        if (!chaos.allClosed()) {
            lines.add("  NOT every document of the chaos run was closed before the deadline");
        }
        if (baseline != null && !baseline.allClosed()) {
            lines.add("  NOT every document of the baseline was closed before the deadline");
        }
        lines.add(passed() ? "PASSED: nothing lost, nothing duplicated" : "FAILED: something was lost or duplicated");
        return lines;
    }

    private void row(List<String> lines, String label, ToIntFunction<ChaosFigures> figure) {
        lines.add(String.format(
                Locale.ROOT,
                "  %-34s %12s %12d",
                label,
                baseline == null ? "-" : String.valueOf(figure.applyAsInt(baseline)),
                figure.applyAsInt(chaos)));
    }

    private void seconds(List<String> lines, String label, ToDoubleFunction<ChaosFigures> figure) {
        double c = figure.applyAsDouble(chaos);
        lines.add(String.format(
                Locale.ROOT,
                "  %-34s %12s %12s %8s",
                label,
                baseline == null ? "-" : String.format(Locale.ROOT, "%.1f s", figure.applyAsDouble(baseline)),
                String.format(Locale.ROOT, "%.1f s", c),
                baseline == null ? "" : String.format(Locale.ROOT, "%.2f", ratio(c, figure.applyAsDouble(baseline)))));
    }

    private void reasons(List<String> lines, String label, Function<ChaosFigures, Map<String, Integer>> of) {
        if (!of.apply(chaos).isEmpty()
                || baseline != null && !of.apply(baseline).isEmpty()) {
            lines.add("  " + label + ": baseline " + (baseline == null ? "-" : of.apply(baseline)) + ", chaos "
                    + of.apply(chaos));
        }
    }

    private static int sum(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static double rate(ChaosFigures f) {
        return f.wallSeconds() == 0 ? 0 : f.pages() / f.wallSeconds();
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }
}
