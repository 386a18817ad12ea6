package io.pagestream.internvl.bench;

import java.io.PrintWriter;
import java.util.List;

/** Prints benchmark results as Markdown tables, each figure beside the machine bound it is compared with. */
public final class BenchTable {
    private BenchTable() {}

    public static void print(MachineBounds bounds, List<BenchResult> results, PrintWriter out) {
        out.printf(
                "Machine bounds, measured in this run (%d processors, ORT intra-op threads %d, best of 5):%n",
                Runtime.getRuntime().availableProcessors(), bounds.threads());
        out.printf(
                "- ORT MatMul float32 %d×%d×%d: %.1f GFLOP/s%n",
                bounds.m(), bounds.k(), bounds.n(), bounds.matmulGflops());
        out.printf(
                "- ORT ReduceSum of the rows of a %d MiB matrix: %.2f GB/s read (Java direct-buffer copy: "
                        + "%.2f GB/s)%n%n",
                bounds.bandwidthBytes() >> 20, bounds.readGbs(), bounds.copyGbs());

        out.println("Prefill: vision + one prompt's full decoder prefill (no prefix reuse), per image tile; useful "
                + "FLOPs count one FFN expert per token");
        out.println("| model | dtype | tiles | prompt tokens | vision ms | prefill ms | ms/tile | useful GFLOP/s "
                + "| ÷ MatMul |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (BenchResult r : results) {
            BenchResult.Prefill p = r.prefill();
            out.printf(
                    "| %s | %s | %d | %d | %.0f | %.0f | %.0f | %.2f | %.3f |%n",
                    r.label(),
                    r.dtype(),
                    p.tiles(),
                    p.promptTokens(),
                    p.visionMs(),
                    p.prefillMs(),
                    p.msPerTile(),
                    p.usefulGflops(),
                    p.matmulRatio());
        }
        out.println();
        out.println("Decode: ms per batched step (sampling included); bound = (decode weights + each row's KV) ÷ read "
                + "bandwidth");
        out.println("| model | dtype | batch | context | steps | ms/step | tokens/s | bound ms | bound ÷ measured |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (BenchResult r : results) {
            for (BenchResult.Decode d : r.decode()) {
                out.printf(
                        "| %s | %s | %d | %d | %d | %.1f | %.1f | %.1f | %.3f |%n",
                        r.label(),
                        r.dtype(),
                        d.batch(),
                        d.context(),
                        d.steps(),
                        d.msPerStep(),
                        d.tokensPerSecond(),
                        d.boundMs(),
                        d.ratio());
            }
        }
        out.println();
        out.println(
                "KV residence: decode on the device-resident path (IoBinding) and the host path (Java API), side by "
                        + "side; staged = bytes a step moves between Java host memory and session memory (on a GPU: PCIe); "
                        + "allocated = Java heap bytes the engine thread allocates per step");
        out.println("| model | dtype | batch | context | device ms/step | host ms/step | host ÷ device | device staged "
                + "B/step | host staged B/step | device allocated B/step | host allocated B/step |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (BenchResult r : results) {
            for (BenchResult.Residence d : r.residence()) {
                out.printf(
                        "| %s | %s | %d | %d | %.1f | %.1f | %.2f | %d | %d | %.0f | %.0f |%n",
                        r.label(),
                        r.dtype(),
                        d.batch(),
                        d.context(),
                        d.deviceMsPerStep(),
                        d.hostMsPerStep(),
                        d.hostMsPerStep() / d.deviceMsPerStep(),
                        d.deviceStagedBytes(),
                        d.hostStagedBytes(),
                        d.deviceAllocatedPerStep(),
                        d.hostAllocatedPerStep());
            }
        }
        out.println();
        out.println("KV capacity: device-resident decode at fixed positions and batch while the slots grow (flat = "
                + "nothing scales with capacity)");
        out.println("| model | dtype | batch | context | slot capacity | KV MiB | ms/step | ÷ first |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (BenchResult r : results) {
            double first = r.capacity().isEmpty() ? 1 : r.capacity().getFirst().msPerStep();
            for (BenchResult.Capacity c : r.capacity()) {
                out.printf(
                        "| %s | %s | %d | %d | %d | %.0f | %.1f | %.2f |%n",
                        r.label(),
                        r.dtype(),
                        c.batch(),
                        c.context(),
                        c.slotCapacity(),
                        c.kvBytes() / 1048576.0,
                        c.msPerStep(),
                        c.msPerStep() / first);
            }
        }
        out.println();
        out.println("Scheduling: the same work with the feature on and off (wall time)");
        out.println("| model | dtype | feature | on ms | off ms | off ÷ on | detail |");
        out.println("|---|---|---|---:|---:|---:|---|");
        for (BenchResult r : results) {
            row(out, r, "prefix reuse", r.prefixReuse());
            row(out, r, "continuous batching", r.continuousBatching());
        }
        out.println();
        out.println("Memory");
        out.println("| model | dtype | provider | decode weights MiB | peak RSS MiB |");
        out.println("|---|---|---|---:|---:|");
        for (BenchResult r : results) {
            out.printf(
                    "| %s | %s | %s | %.0f | %s |%n",
                    r.label(),
                    r.dtype(),
                    r.provider(),
                    r.decodeWeightBytes() / 1048576.0,
                    r.peakRssBytes() < 0
                            ? "?"
                            : String.format(
                                    "%.0f%s", r.peakRssBytes() / 1048576.0, r.peakRssIsolated() ? "" : " (whole run)"));
        }
        out.flush();
    }

    private static void row(PrintWriter out, BenchResult r, String feature, BenchResult.Comparison c) {
        out.printf(
                "| %s | %s | %s | %.0f | %.0f | %.2f | %s |%n",
                r.label(), r.dtype(), feature, c.onMs(), c.offMs(), c.speedup(), c.detail());
    }
}
