package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Runs one op of our graphs alone, in a given precision, on the CPU execution provider and says how ORT executed it.
 * ONNX Runtime assigns a node to the CPU provider only if it has a kernel for the node's input types. For float16 it
 * then rescues a node without one: its {@code InsertCastTransformer} puts Casts to float32 around it and runs the
 * float32 kernel (and forces an isolated fp16-capable node between such nodes to float32 too). There is no such
 * rescue for bfloat16: the session fails with NOT_IMPLEMENTED. The probe tells the cases apart by saving the
 * optimised model ORT will run and counting the Casts it inserted ({@code InsertedPrecisionFreeCast_…} in 1.23,
 * {@code InsertedCast_…} before).
 */
final class CpuKernelProbe {
    /** How the CPU provider ran the op. */
    enum Outcome {
        /** A kernel of the precision ran: activations in and out of the op were in that type. */
        NATIVE,
        /** No kernel of that type: ORT inserted Casts and ran the float32 kernel. */
        FP32_FALLBACK,
        /** No kernel and no fallback: session creation failed with NOT_IMPLEMENTED. */
        NO_KERNEL,
        /** The op's ONNX schema does not allow the type at our opset: the model is invalid. */
        INVALID_TYPE
    }

    /** One graph input: a float tensor in the probed precision, or a constant of another type. */
    record Input(String name, long[] shape, DataType fixedType, ByteBuffer fixed) {
        static Input floats(String name, long... shape) {
            return new Input(name, shape, null, null);
        }

        static Input ints32(String name, long[] shape, int... values) {
            ByteBuffer b = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
            for (int v : values) {
                b.putInt(v);
            }
            return new Input(name, shape, DataType.INT32, b.flip());
        }

        static Input ints64(String name, long[] shape, long... values) {
            ByteBuffer b = ByteBuffer.allocateDirect(values.length * 8).order(ByteOrder.nativeOrder());
            for (long v : values) {
                b.putLong(v);
            }
            return new Input(name, shape, DataType.INT64, b.flip());
        }

        static Input bytes(String name, long[] shape, byte... values) {
            ByteBuffer b = ByteBuffer.allocateDirect(values.length).order(ByteOrder.nativeOrder());
            b.put(values);
            return new Input(name, shape, DataType.UINT8, b.flip());
        }

        static Input bools(String name, long[] shape, boolean... values) {
            ByteBuffer b = ByteBuffer.allocateDirect(values.length).order(ByteOrder.nativeOrder());
            for (boolean v : values) {
                b.put((byte) (v ? 1 : 0));
            }
            return new Input(name, shape, DataType.BOOL, b.flip());
        }

        long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * A single-op case: its inputs and a body that adds the op (inputs already declared, in the given precision) and
     * returns the name of the output to compare.
     */
    record Case(String label, List<Input> inputs, BiFunction<GraphBuilder, Precision, String> body) {}

    /**
     * @param outcome   how ORT ran it
     * @param inserted  Casts ORT inserted (FP32_FALLBACK when positive)
     * @param maxAbs    largest |output − float32 output| on the same (rounded) inputs; NaN when it did not run
     * @param maxRef    largest |float32 output|, to read maxAbs against
     * @param message   ORT's message when the session failed
     * @param ran       the op types of the graph ORT ran, Casts and the probe's Identity left out (an op without a
     *                  kernel of any type may have been replaced by its ONNX function body)
     */
    record Result(Outcome outcome, int inserted, double maxAbs, double maxRef, String message, String ran) {}

    private CpuKernelProbe() {}

    static Result probe(Case c, Precision precision, Path dir) throws Exception {
        Map<String, ByteBuffer> data = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(c.label().hashCode());
        List<float[]> values = new ArrayList<>();
        for (Input input : c.inputs()) {
            float[] v = new float[(int) input.count()];
            for (int i = 0; i < v.length; i++) {
                v[i] = precision.round((float) (random.nextDouble() * 2 - 1));
            }
            values.add(v);
        }
        float[] reference;
        try (Run fp32 = Run.open(c, Precision.FP32, values, dir.resolve(c.label() + "-fp32"))) {
            reference = fp32.output();
        }
        Run run;
        try {
            run = Run.open(c, precision, values, dir.resolve(c.label() + "-" + precision));
        } catch (OrtException e) {
            if (e.getCode() == OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED) {
                return new Result(Outcome.NO_KERNEL, 0, Double.NaN, maxAbs(reference), e.getMessage(), "");
            }
            if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_GRAPH) {
                return new Result(Outcome.INVALID_TYPE, 0, Double.NaN, maxAbs(reference), e.getMessage(), "");
            }
            throw e;
        }
        try (run) {
            float[] out = run.output();
            double diff = 0;
            for (int i = 0; i < out.length; i++) {
                diff = Math.max(diff, Math.abs((double) out[i] - reference[i]));
            }
            ModelProto optimized = ModelProto.parseFrom(Files.readAllBytes(run.optimized()));
            int inserted = 0;
            java.util.Set<String> ran = new java.util.LinkedHashSet<>();
            for (NodeProto node : optimized.getGraph().getNodeList()) {
                if (node.getOpType().equals("Cast") && node.getName().startsWith("Inserted")) {
                    inserted++;
                } else if (!node.getOpType().equals("Identity")) {
                    ran.add(node.getOpType());
                }
            }
            return new Result(
                    inserted > 0 ? Outcome.FP32_FALLBACK : Outcome.NATIVE,
                    inserted,
                    diff,
                    maxAbs(reference),
                    "",
                    String.join("+", ran));
        }
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** The case built in one precision, its session and its inputs. */
    private record Run(
            OrtSession session, Map<String, OnnxTensor> inputs, String outputName, Precision precision, Path optimized)
            implements AutoCloseable {
        static Run open(Case c, Precision precision, List<float[]> values, Path base) throws OrtException {
            GraphBuilder g = GraphBuilder.create(c.label(), null);
            for (Input input : c.inputs()) {
                Object[] dims = java.util.Arrays.stream(input.shape()).boxed().toArray();
                g.input(input.name(), input.fixedType() != null ? input.fixedType() : precision.onnxType(), dims);
            }
            String out = c.body().apply(g, precision);
            g.op("Identity", out).exact("probe_out");
            g.output("probe_out", precision.onnxType());
            Path model = base.resolveSibling(base.getFileName() + ".onnx");
            g.save(model);
            Path optimized = base.resolveSibling(base.getFileName() + ".optimized.onnx");
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            // Extended, not all: the level the casts do not depend on, without the NCHWc layout warning on save.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            OrtSession session = OrtRunner.ENV.createSession(model.toString(), options);
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            for (int i = 0; i < c.inputs().size(); i++) {
                Input input = c.inputs().get(i);
                ByteBuffer bytes;
                OnnxJavaType type;
                if (input.fixedType() != null) {
                    bytes = input.fixed().duplicate().order(ByteOrder.nativeOrder());
                    type = switch (input.fixedType()) {
                        case INT32 -> OnnxJavaType.INT32;
                        case INT64 -> OnnxJavaType.INT64;
                        case UINT8 -> OnnxJavaType.UINT8;
                        case BOOL -> OnnxJavaType.BOOL;
                        default ->
                            throw new IllegalArgumentException(input.fixedType().toString());
                    };
                } else {
                    float[] v = values.get(i);
                    bytes = ByteBuffer.allocateDirect(v.length * precision.byteSize())
                            .order(ByteOrder.LITTLE_ENDIAN);
                    for (float f : v) {
                        precision.put(bytes, f);
                    }
                    bytes.flip();
                    type = switch (precision) {
                        case FP32 -> OnnxJavaType.FLOAT;
                        case FP16 -> OnnxJavaType.FLOAT16;
                        case BF16 -> OnnxJavaType.BFLOAT16;
                    };
                }
                inputs.put(input.name(), OnnxTensor.createTensor(OrtRunner.ENV, bytes, input.shape(), type));
            }
            return new Run(session, inputs, "probe_out", precision, optimized);
        }

        float[] output() throws OrtException {
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxValue value = result.get(outputName).orElseThrow();
                ByteBuffer bytes = ((OnnxTensor) value).getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                float[] out = new float[bytes.remaining() / precision.byteSize()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = precision.get(bytes);
                }
                return out;
            }
        }

        @Override
        public void close() throws OrtException {
            inputs.values().forEach(OnnxTensor::close);
            session.close();
        }
    }
}
