package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a half-precision graph on the CPU execution provider with the roundings a GPU would apply, for numerics tests.
 *
 * <p>The CPU provider has kernels for few ops in float16 and almost none in bfloat16
 * ({@link OnnxCpuKernelTypesTest}). For float16, ORT computes an op without a kernel in float32 behind inserted Casts,
 * then removes every Cast pair float32 → float16 → float32 it finds: between two such ops the value then stays
 * float32, so the CPU result is closer to float32 than a GPU's would be. For bfloat16 the session just fails.
 *
 * <p>{@link #rewrite} does the same rescue but keeps every rounding: each node that has an input of the half type and
 * is not in {@code native} gets Casts to float32 on its half inputs, computes in float32, and each of its outputs that
 * the original graph types as half is cast back to half and passed through an {@code Identity}. The Identity (a
 * type-generic kernel the CPU has for every type) stands between the two Casts so that ORT cannot cancel them; the
 * session must run with optimisations off, or ORT removes the Identity first. Every tensor the original graph holds in
 * the half type is therefore rounded to it, as on a GPU where every op reads and writes that type. What this does not
 * reproduce: roundings inside an op (a GPU's attention rounds its softmax probabilities to half before the second
 * product; its matmuls accumulate in float32, as here).
 *
 * <p>{@link #nodeTypes} reports, for a graph ORT optimised, how many nodes of each op ran on half inputs and how many
 * on float32 ones.
 */
final class PrecisionEmulation {
    /** Ops the CPU runs for any element type: they move or select values and never round. */
    static final Set<String> TYPE_GENERIC = Set.of(
            "Gather",
            "GatherND",
            "Transpose",
            "Reshape",
            "Unsqueeze",
            "Squeeze",
            "Concat",
            "Identity",
            "Cast",
            "If",
            "Shape",
            "Slice",
            "Expand");
    /** Ops with a float16 CPU kernel in ORT 1.23.2 besides the type-generic ones ({@link OnnxCpuKernelTypesTest}). */
    static final Set<String> CPU_FP16 = Set.of(
            "SimplifiedLayerNormalization",
            "SkipSimplifiedLayerNormalization",
            "LayerNormalization",
            "GroupQueryAttention",
            "MatMulNBits");

    private PrecisionEmulation() {}

    /** The ops to leave alone when emulating {@code half} on the CPU: those with a CPU kernel of that type. */
    static Set<String> cpuNative(Precision half) {
        if (half == Precision.FP16) {
            java.util.HashSet<String> ops = new java.util.HashSet<>(TYPE_GENERIC);
            ops.addAll(CPU_FP16);
            return ops;
        }
        return TYPE_GENERIC;
    }

    static ModelProto rewrite(ModelProto model, Precision half, Set<String> nativeOps) {
        Map<String, Integer> types = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            types.put(t.getName(), t.getDataType());
        }
        GraphProto graph = new Rewriter(half.onnxType().getNumber(), nativeOps).graph(model.getGraph(), types);
        return model.toBuilder().setGraph(graph).build();
    }

    /** Per op type: [nodes with a half input, nodes whose float inputs are all float32]. */
    static Map<String, int[]> nodeTypes(ModelProto model, Precision half) {
        Map<String, Integer> types = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            types.put(t.getName(), t.getDataType());
        }
        Map<String, int[]> counts = new TreeMap<>();
        count(model.getGraph(), types, half.onnxType().getNumber(), counts);
        return counts;
    }

    private static void count(GraphProto graph, Map<String, Integer> outer, int half, Map<String, int[]> counts) {
        Map<String, Integer> types = new HashMap<>(outer);
        for (ValueInfoProto input : graph.getInputList()) {
            types.put(input.getName(), input.getType().getTensorType().getElemType());
        }
        for (NodeProto node : graph.getNodeList()) {
            for (AttributeProto a : node.getAttributeList()) {
                if (a.hasG()) {
                    count(a.getG(), types, half, counts);
                }
            }
            boolean anyHalf = false;
            boolean anyFloat = false;
            for (String in : node.getInputList()) {
                Integer t = types.get(in);
                anyHalf |= t != null && t == half;
                anyFloat |= t != null && t == DataType.FLOAT_VALUE;
            }
            if (!node.getOpType().equals("Cast") && (anyHalf || anyFloat)) {
                counts.computeIfAbsent(node.getOpType(), k -> new int[2])[anyHalf ? 0 : 1]++;
            }
            List<Integer> out = outputTypes(node, types);
            for (int i = 0; i < node.getOutputCount(); i++) {
                if (!node.getOutput(i).isEmpty() && out.get(i) != null) {
                    types.put(node.getOutput(i), out.get(i));
                }
            }
        }
    }

    /** The element types of a node's outputs from its inputs' (null where unknown). */
    static List<Integer> outputTypes(NodeProto node, Map<String, Integer> types) {
        Integer type =
                switch (node.getOpType()) {
                    case "Cast" -> (int) attribute(node, "to").getI();
                    case "Shape" -> DataType.INT64_VALUE;
                    case "Equal", "Less", "Greater", "Not", "And", "Or" -> DataType.BOOL_VALUE;
                    case "Where" -> types.get(node.getInput(1));
                    case "If" -> null;
                    default -> {
                        Integer first = node.getInputCount() > 0 ? types.get(node.getInput(0)) : null;
                        yield first;
                    }
                };
        Integer[] out = new Integer[node.getOutputCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = type;
        }
        if (node.getOpType().equals("If")) {
            GraphProto then = attribute(node, "then_branch").getG();
            for (int i = 0; i < out.length; i++) {
                out[i] = then.getOutput(i).getType().getTensorType().getElemType();
            }
        }
        return java.util.Arrays.asList(out);
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        return node.getAttributeList().stream()
                .filter(a -> a.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static final class Rewriter {
        private final int half;
        private final Set<String> nativeOps;
        private final AtomicInteger counter = new AtomicInteger();

        Rewriter(int half, Set<String> nativeOps) {
            this.half = half;
            this.nativeOps = nativeOps;
        }

        GraphProto graph(GraphProto graph, Map<String, Integer> outer) {
            Map<String, Integer> types = new HashMap<>(outer);
            for (ValueInfoProto input : graph.getInputList()) {
                types.put(input.getName(), input.getType().getTensorType().getElemType());
            }
            Map<String, String> widened = new HashMap<>();
            GraphProto.Builder out = graph.toBuilder().clearNode();
            for (NodeProto original : graph.getNodeList()) {
                NodeProto.Builder node = original.toBuilder();
                for (int a = 0; a < node.getAttributeCount(); a++) {
                    AttributeProto attr = node.getAttribute(a);
                    if (attr.hasG()) {
                        node.setAttribute(a, attr.toBuilder().setG(graph(attr.getG(), types)));
                    }
                }
                List<Integer> outTypes = outputTypes(original, types);
                boolean hasHalf = original.getInputList().stream()
                        .anyMatch(i -> Integer.valueOf(half).equals(types.get(i)));
                if (!hasHalf || nativeOps.contains(original.getOpType())) {
                    out.addNode(node);
                } else {
                    for (int i = 0; i < node.getInputCount(); i++) {
                        String in = node.getInput(i);
                        if (Integer.valueOf(half).equals(types.get(in))) {
                            String wide = widened.computeIfAbsent(in, v -> {
                                String name = v + "/emulated_f32_" + counter.incrementAndGet();
                                out.addNode(cast(v, name, DataType.FLOAT_VALUE));
                                return name;
                            });
                            node.setInput(i, wide);
                        }
                    }
                    java.util.List<NodeProto> after = new java.util.ArrayList<>();
                    for (int i = 0; i < node.getOutputCount(); i++) {
                        String o = node.getOutput(i);
                        if (o.isEmpty() || !Integer.valueOf(half).equals(outTypes.get(i))) {
                            continue;
                        }
                        int k = counter.incrementAndGet();
                        String wide = o + "/emulated_out_f32_" + k;
                        String rounded = o + "/emulated_rounded_" + k;
                        node.setOutput(i, wide);
                        after.add(cast(wide, rounded, half));
                        after.add(NodeProto.newBuilder()
                                .setOpType("Identity")
                                .setName(o + "/emulated_keep_" + k)
                                .addInput(rounded)
                                .addOutput(o)
                                .build());
                    }
                    out.addNode(node);
                    out.addAllNode(after);
                }
                for (int i = 0; i < original.getOutputCount(); i++) {
                    if (!original.getOutput(i).isEmpty() && outTypes.get(i) != null) {
                        types.put(original.getOutput(i), outTypes.get(i));
                    }
                }
            }
            return out.build();
        }

        private NodeProto cast(String in, String out, int to) {
            return NodeProto.newBuilder()
                    .setOpType("Cast")
                    .setName(out)
                    .addInput(in)
                    .addOutput(out)
                    .addAttribute(AttributeProto.newBuilder()
                            .setName("to")
                            .setType(AttributeProto.AttributeType.INT)
                            .setI(to))
                    .build();
        }
    }
}
