package io.pagestream.cli.gpu;

import java.io.PrintWriter;
import java.util.List;

/**
 * What {@code gpu-check} found: a verdict per check, with the measured figure beside the cost model's expectation, and
 * figures reported without a verdict.
 *
 * @param cpuSmoke the run was the CPU smoke mode: nothing in it describes a GPU
 */
record GpuCheckReport(
        String checkpoint,
        String dtype,
        String provider,
        String gpu,
        boolean cpuSmoke,
        List<Check> checks,
        List<Figure> figures) {

    /** @param verdict PASS, FAIL or SKIP */
    record Check(String name, String verdict, String measured, String expected, String detail) {}

    /** @param expected the cost model's figure, NaN when it has none */
    record Figure(String name, double measured, double expected, String detail) {}

    boolean passed() {
        return checks.stream().noneMatch(c -> c.verdict().equals("FAIL"));
    }

    String verdict() {
        List<String> failed = checks.stream()
                .filter(c -> c.verdict().equals("FAIL"))
                .map(Check::name)
                .toList();
        return failed.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", failed);
    }

    void print(PrintWriter out) {
        out.printf(
                "gpu-check: %s, %s on %s (expectations: cost model for %s, datasheet figures)%s%n",
                checkpoint, dtype, provider, gpu, cpuSmoke ? " — CPU SMOKE RUN: no figure here describes a GPU" : "");
        out.println("| check | verdict | measured | expected | detail |");
        out.println("|---|---|---:|---:|---|");
        for (Check c : checks) {
            out.printf("| %s | %s | %s | %s | %s |%n", c.name(), c.verdict(), c.measured(), c.expected(), c.detail());
        }
        if (!figures.isEmpty()) {
            out.println();
            out.println("| figure | measured | expected | detail |");
            out.println("|---|---:|---:|---|");
            for (Figure f : figures) {
                out.printf(
                        "| %s | %.2f | %s | %s |%n",
                        f.name(),
                        f.measured(),
                        Double.isNaN(f.expected()) ? "–" : String.format("%.2f", f.expected()),
                        f.detail());
            }
        }
        out.printf("verdict: %s%n", verdict());
        out.flush();
    }
}
