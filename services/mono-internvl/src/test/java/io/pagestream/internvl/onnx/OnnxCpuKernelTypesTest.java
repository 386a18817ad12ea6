package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.onnx.CpuKernelProbe.Case;
import io.pagestream.internvl.onnx.CpuKernelProbe.Input;
import io.pagestream.internvl.onnx.CpuKernelProbe.Outcome;
import io.pagestream.internvl.onnx.CpuKernelProbe.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which ops of our graphs the ONNX Runtime CPU execution provider runs in float16 and in bfloat16 (see
 * {@link CpuKernelProbe} for how it is told). The expected outcomes are what ORT 1.23.2 did when this was written;
 * the test fails if an ORT upgrade changes one, so that docs/engine.md's precision table is revisited.
 */
class OnnxCpuKernelTypesTest {
    static final int HEADS = 2;
    static final int KV_HEADS = 1;
    static final int HEAD_DIM = 16;
    static final int POSITIONS = 16;

    @TempDir
    Path dir;

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("MatMul", List.of(Input.floats("x", 2, 32), Input.floats("w", 32, 8)), (g, p) -> g.op(
                        "MatMul", "x", "w")
                .out()));
        cases.add(new Case(
                "Add", List.of(Input.floats("x", 2, 16), Input.floats("y", 2, 16)), (g, p) -> g.op("Add", "x", "y")
                        .out()));
        cases.add(new Case(
                "Mul", List.of(Input.floats("x", 2, 16), Input.floats("y", 2, 16)), (g, p) -> g.op("Mul", "x", "y")
                        .out()));
        cases.add(new Case("Sigmoid", List.of(Input.floats("x", 2, 16)), (g, p) -> g.op("Sigmoid", "x")
                .out()));
        cases.add(new Case("SiLU (Mul+Sigmoid)", List.of(Input.floats("x", 2, 16)), (g, p) -> g.op(
                        "Mul", "x", g.op("Sigmoid", "x").out())
                .out()));
        cases.add(new Case("Softmax", List.of(Input.floats("x", 2, 16)), (g, p) -> g.op("Softmax", "x")
                .attr("axis", -1L)
                .out()));
        cases.add(new Case(
                "SimplifiedLayerNormalization",
                List.of(Input.floats("x", 2, 16), Input.floats("w", 16)),
                (g, p) -> g.op("SimplifiedLayerNormalization", "x", "w")
                        .attr("axis", -1L)
                        .attr("epsilon", 1e-5f)
                        .attr("stash_type", 1L)
                        .out()));
        cases.add(new Case(
                "SkipSimplifiedLayerNormalization",
                List.of(Input.floats("x", 2, 16), Input.floats("skip", 2, 16), Input.floats("w", 16)),
                (g, p) -> g.op("SkipSimplifiedLayerNormalization", "x", "skip", "w")
                        .domain(GraphBuilder.MS_DOMAIN)
                        .attr("epsilon", 1e-5f)
                        .outs("normed", "", "", "sum")
                        .get(0)));
        cases.add(new Case(
                "LayerNormalization",
                List.of(Input.floats("x", 2, 16), Input.floats("w", 16), Input.floats("b", 16)),
                (g, p) -> g.op("LayerNormalization", "x", "w", "b")
                        .attr("axis", -1L)
                        .attr("epsilon", 1e-5f)
                        .out()));
        cases.add(new Case("Gelu", List.of(Input.floats("x", 2, 16)), (g, p) -> g.op("Gelu", "x")
                .out()));
        cases.add(new Case(
                "Conv (patch embedding)",
                List.of(Input.floats("x", 1, 3, 28, 28), Input.floats("w", 4, 3, 14, 14), Input.floats("b", 4)),
                (g, p) -> g.op("Conv", "x", "w", "b")
                        .attr("kernel_shape", 14L, 14L)
                        .attr("strides", 14L, 14L)
                        .out()));
        cases.add(new Case(
                "Gather (token embedding)",
                List.of(Input.floats("table", 10, 16), Input.ints64("ids", new long[] {1, 3}, 4, 0, 9)),
                (g, p) -> g.op("Gather", "table", "ids").attr("axis", 0L).out()));
        cases.add(new Case(
                "GatherND (last positions)",
                List.of(Input.floats("x", 2, 3, 16), Input.ints64("index", new long[] {2, 1}, 2, 0)),
                (g, p) -> g.op("GatherND", "x", "index").attr("batch_dims", 1L).out()));
        cases.add(new Case(
                "Where (expert routing)",
                List.of(
                        Input.bools("m", new long[] {2, 1}, true, false),
                        Input.floats("x", 2, 16),
                        Input.floats("y", 2, 16)),
                (g, p) -> g.op("Where", "m", "x", "y").out()));
        cases.add(new Case(
                "Transpose (pixel shuffle)",
                List.of(Input.floats("x", 2, 3, 4)),
                (g, p) -> g.op("Transpose", "x").attr("perm", 0L, 2L, 1L).out()));
        int qkv = (HEADS + 2 * KV_HEADS) * HEAD_DIM;
        cases.add(new Case(
                "GroupQueryAttention",
                List.of(
                        Input.floats("qkv", 1, 3, qkv),
                        Input.floats("past_k", 1, KV_HEADS, 0, HEAD_DIM),
                        Input.floats("past_v", 1, KV_HEADS, 0, HEAD_DIM),
                        Input.ints32("seqlens", new long[] {1}, 2),
                        Input.ints32("total", new long[0], 3),
                        Input.floats("cos", POSITIONS, HEAD_DIM / 2),
                        Input.floats("sin", POSITIONS, HEAD_DIM / 2)),
                (g, p) -> g.op(
                                "GroupQueryAttention",
                                "qkv",
                                "",
                                "",
                                "past_k",
                                "past_v",
                                "seqlens",
                                "total",
                                "cos",
                                "sin")
                        .domain(GraphBuilder.MS_DOMAIN)
                        .attr("num_heads", (long) HEADS)
                        .attr("kv_num_heads", (long) KV_HEADS)
                        .attr("do_rotary", 1L)
                        .attr("rotary_interleaved", 0L)
                        .outs("attn", "present_k", "present_v")
                        .get(0)));
        byte[] packed = new byte[8 * 16];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = (byte) (i * 37 + 11);
        }
        cases.add(new Case(
                "MatMulNBits (4-bit, block 32)",
                List.of(
                        Input.floats("a", 2, 32),
                        Input.bytes("b", new long[] {8, 1, 16}, packed),
                        Input.floats("scales", 8, 1)),
                (g, p) -> g.op("MatMulNBits", "a", "b", "scales")
                        .domain(GraphBuilder.MS_DOMAIN)
                        .attr("K", 32L)
                        .attr("N", 8L)
                        .attr("bits", 4L)
                        .attr("block_size", 32L)
                        .attr("accuracy_level", 0L)
                        .out()));
        return cases;
    }

    /** What ORT 1.23.2's CPU provider did with each case: float16 outcome, bfloat16 outcome. */
    static final Map<String, Outcome[]> EXPECTED = new LinkedHashMap<>();

    static {
        Outcome n = Outcome.NATIVE;
        Outcome f = Outcome.FP32_FALLBACK;
        Outcome x = Outcome.NO_KERNEL;
        EXPECTED.put("MatMul", new Outcome[] {f, x});
        EXPECTED.put("Add", new Outcome[] {f, x});
        EXPECTED.put("Mul", new Outcome[] {f, x});
        EXPECTED.put("Sigmoid", new Outcome[] {f, x});
        EXPECTED.put("SiLU (Mul+Sigmoid)", new Outcome[] {f, x});
        EXPECTED.put("Softmax", new Outcome[] {f, x});
        EXPECTED.put("SimplifiedLayerNormalization", new Outcome[] {n, x});
        EXPECTED.put("SkipSimplifiedLayerNormalization", new Outcome[] {n, x});
        EXPECTED.put("LayerNormalization", new Outcome[] {n, x});
        EXPECTED.put("Gelu", new Outcome[] {f, x});
        EXPECTED.put("Conv (patch embedding)", new Outcome[] {f, Outcome.INVALID_TYPE});
        EXPECTED.put("Gather (token embedding)", new Outcome[] {n, n});
        EXPECTED.put("GatherND (last positions)", new Outcome[] {n, n});
        EXPECTED.put("Where (expert routing)", new Outcome[] {f, x});
        EXPECTED.put("Transpose (pixel shuffle)", new Outcome[] {n, n});
        EXPECTED.put("GroupQueryAttention", new Outcome[] {n, x});
        EXPECTED.put("MatMulNBits (4-bit, block 32)", new Outcome[] {n, x});
    }

    @Test
    void cpuProviderKernelsPerPrecision() throws Exception {
        StringBuilder table = new StringBuilder("| op | fp16 on CPU EP | bf16 on CPU EP |\n|---|---|---|\n");
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases()) {
            Result fp16 = CpuKernelProbe.probe(c, Precision.FP16, dir);
            Result bf16 = CpuKernelProbe.probe(c, Precision.BF16, dir);
            table.append("| ")
                    .append(c.label())
                    .append(" | ")
                    .append(describe(fp16))
                    .append(" | ")
                    .append(describe(bf16))
                    .append(" |\n");
            Outcome[] expected = EXPECTED.get(c.label());
            if (expected == null || expected[0] != fp16.outcome() || expected[1] != bf16.outcome()) {
                mismatches.add(c.label() + ": fp16 " + fp16.outcome() + ", bf16 " + bf16.outcome());
            }
            for (Result r : List.of(fp16, bf16)) {
                if (r.outcome() == Outcome.NATIVE || r.outcome() == Outcome.FP32_FALLBACK) {
                    assertTrue(r.maxAbs() <= 2e-2 * Math.max(1, r.maxRef()), c.label() + ": " + r);
                }
            }
        }
        System.out.println("[cpu-kernels] ORT "
                + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion() + "\n" + table);
        assertEquals(List.of(), mismatches, "outcomes changed; update EXPECTED and docs/engine.md");
    }

    private static String describe(Result r) {
        return switch (r.outcome()) {
            case NATIVE -> String.format("native %s (max err %.1e of %.2f)", r.ran(), r.maxAbs(), r.maxRef());
            case FP32_FALLBACK ->
                String.format(
                        "fp32 %s, %d Casts inserted (max err %.1e of %.2f)",
                        r.ran(), r.inserted(), r.maxAbs(), r.maxRef());
            case NO_KERNEL -> "NOT_IMPLEMENTED";
            case INVALID_TYPE -> "type not allowed by the op (invalid graph)";
        };
    }
}
