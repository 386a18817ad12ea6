package io.pagestream.internvl.bench;

import io.pagestream.internvl.checkpoint.LlmConfig;
import java.io.PrintWriter;

/** Prints a {@link GpuCostModel.Report} as Markdown: what {@code ./pagestream model cost} shows. */
public final class GpuCostTable {
    private GpuCostTable() {}

    public static void print(GpuCostModel model, GpuCostModel.Report r, PrintWriter out) {
        LlmConfig llm = model.config().llm();
        GpuSpec gpu = r.gpu();
        GpuCostModel.Assumptions a = r.assumptions();
        out.printf(
                "GPU cost model (arithmetic, nothing measured): Mono-InternVL decoder (%s), %d layers, hidden %d, %d/%d heads of %d, FFN %d, "
                        + "vocab %d; weights %s, KV cache 16-bit; %s%n",
                r.model(),
                llm.numHiddenLayers(),
                llm.hiddenSize(),
                llm.numAttentionHeads(),
                llm.numKeyValueHeads(),
                llm.headDim(),
                llm.intermediateSize(),
                llm.vocabSize(),
                r.weights(),
                gpu.name());
        out.printf(
                "Datasheet figures (assumed, not measured): memory %.0f GB at %.2f TB/s, dense FP16/BF16 %.0f TFLOP/s, "
                        + "%s%n",
                gpu.memoryBytes() / 1e9, gpu.hbmBytesPerSec() / 1e12, gpu.denseFp16Flops() / 1e12, gpu.hostLink());
        out.printf(
                "Assumed efficiencies: %.2f of peak bandwidth (decode), %.2f of peak FLOP/s (prefill), %.2f of the "
                        + "host link; %d prompt text tokens besides image tokens%n%n",
                a.bandwidthEfficiency(), a.computeEfficiency(), a.hostLinkEfficiency(), a.promptTextTokens());

        out.printf(
                "- decode weights (text path, norms, LM head; read once per step whatever the batch): %,d B = %.3f GB%n",
                r.decodeWeightBytes(), r.decodeWeightBytes() / 1e9);
        out.printf(
                "- visual FFN experts (read by image prefills only): %,d B; all resident weights: %,d B = %.2f GB%n",
                r.visualExpertBytes(), r.residentWeightBytes(), r.residentWeightBytes() / 1e9);
        out.printf(
                "- KV cache per row: %,d B per position = %,d B at 1,024 positions, %,d B at 4,096%n",
                r.kvBytesPerPosition(), 1024 * r.kvBytesPerPosition(), 4096 * r.kvBytesPerPosition());
        out.printf("- per row per step besides: embedding row + float32 logits = %,d B%n%n", r.perRowStepBytes());

        out.println("Decode step: expected = max(bytes ÷ (bandwidth × eff), FLOPs ÷ (peak × eff))");
        out.println(
                "| batch | context | GB read | GFLOP | bandwidth ms | compute ms | expected ms | tokens/s | fits |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (GpuCostModel.Decode d : r.decode()) {
            out.printf(
                    "| %d | %d | %.2f | %.1f | %.2f | %.3f | %.2f | %.0f | %s |%n",
                    d.batch(),
                    d.context(),
                    d.bytes() / 1e9,
                    d.flops() / 1e9,
                    d.bandwidthMs(),
                    d.computeMs(),
                    d.ms(),
                    d.tokensPerSecond(),
                    d.fits() ? "yes" : "NO");
        }
        out.println();
        out.println(
                "Host link per decode step: device-resident KV (ids 8 B + seqlens 4 B per row + total 4 B up; "
                        + "logits 4·vocab B per row down) vs host-resident KV (the whole cache up as past and down as present)");
        out.println("| batch | positions | device-resident up B | down B | ms | host-resident KV each way GB | ms |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (GpuCostModel.HostTraffic t : r.hostTraffic()) {
            out.printf(
                    "| %d | %d | %,d | %,d | %.3f | %.2f | %.0f |%n",
                    t.batch(),
                    t.positions(),
                    t.deviceResidentUpBytes(),
                    t.deviceResidentDownBytes(),
                    t.deviceResidentMs(),
                    t.hostResidentKvBytesEachWay() / 1e9,
                    t.hostResidentMs());
        }
        out.println();
        out.println("Prefill in one run (vision patch embedding + projector + decoder with both FFN experts, as the "
                + "graph runs image chunks; causal attention; logits at the last position)");
        out.println("| prefill | tokens | TFLOP run | TFLOP useful (one expert) | compute ms | weight-read ms "
                + "| expected ms | ms per tile |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (GpuCostModel.Prefill p : new GpuCostModel.Prefill[] {r.tilePrefill(), r.pagePrefill()}) {
            out.printf(
                    "| %d tile%s | %d | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |%n",
                    p.tiles(),
                    p.tiles() == 1 ? "" : "s",
                    p.tokens(),
                    p.flops() / 1e12,
                    p.usefulFlops() / 1e12,
                    p.computeMs(),
                    p.bandwidthMs(),
                    p.ms(),
                    p.msPerTile());
        }
        out.println();
        if (!r.pages().isEmpty()) {
            GpuCostModel.PageRate first = r.pages().getFirst();
            out.printf(
                    "Pages per second one GPU needs fed: %d-tile pages with a %d-token OCR answer, continuous "
                            + "batching (per page: its prefill + %d steps ÷ batch at the answer's mean context)%n",
                    first.tiles(), first.answerTokens(), first.answerTokens());
            out.println(
                    "| batch | prompt tokens | mean context | prefill ms | step ms | decode ms per page | ms per page "
                            + "| pages/s | fits |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            for (GpuCostModel.PageRate p : r.pages()) {
                out.printf(
                        "| %d | %d | %d | %.1f | %.2f | %.1f | %.1f | %.2f | %s |%n",
                        p.batch(),
                        p.promptTokens(),
                        p.meanContext(),
                        p.prefillMs(),
                        p.stepMs(),
                        p.decodeMsPerPage(),
                        p.msPerPage(),
                        p.pagesPerSecond(),
                        p.fits() ? "yes" : "NO");
            }
        }
        out.flush();
    }
}
