package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PrecisionEmulation} keeps the rounding between two ops that ORT's own float16 fallback drops: on
 * {@code (x + a) − a} with a = 1024, float16 must lose x's fraction in the intermediate sum (its spacing at 1024 is 1,
 * bfloat16's is 8). The emulated graph must give exactly the twice-rounded value computed in Java; ORT's CPU fallback
 * gives x back for float16 (the Cast pair between Add and Sub is cancelled) and refuses bfloat16.
 */
class PrecisionEmulationTest {
    static final float[] X = {0.25f, 3.125f, 6.875f, 0.5f};
    static final float A = 1024f;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = Precision.class,
            names = {"FP16", "BF16"})
    void emulationRoundsTheIntermediateSumWhereOrtDoesNot(Precision half) throws Exception {
        GraphBuilder g = GraphBuilder.create("sum", null);
        g.input("x", half.onnxType(), X.length);
        g.input("a", half.onnxType(), X.length);
        String sum = g.op("Add", "x", "a").out("sum");
        g.op("Sub", sum, "a").exact("y");
        g.output("y", half.onnxType(), X.length);
        ModelProto model = g.model();
        Path plain = dir.resolve("plain.onnx");
        Files.write(plain, model.toByteArray());
        Path emulated = dir.resolve("emulated.onnx");
        Files.write(
                emulated,
                PrecisionEmulation.rewrite(model, half, PrecisionEmulation.cpuNative(half))
                        .toByteArray());

        float[] expected = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            expected[i] = half.round(half.round(X[i] + A) - A);
        }
        assertArrayEquals(expected, run(emulated, half, OrtSession.SessionOptions.OptLevel.NO_OPT));
        if (half == Precision.FP16) {
            float[] fallback = run(plain, half, OrtSession.SessionOptions.OptLevel.ALL_OPT);
            assertArrayEquals(X, fallback, "ORT's fallback keeps the sum in float32");
        } else {
            OrtException e = assertThrows(
                    OrtException.class, () -> run(plain, half, OrtSession.SessionOptions.OptLevel.ALL_OPT));
            assertEquals(OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED, e.getCode());
        }
    }

    private static float[] run(Path model, Precision half, OrtSession.SessionOptions.OptLevel level)
            throws OrtException {
        OnnxJavaType type = half == Precision.FP16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.BFLOAT16;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            try (OrtSession session = OrtRunner.ENV.createSession(model.toString(), options);
                    OnnxTensor x = OnnxTensor.createTensor(OrtRunner.ENV, bytes(X, half), new long[] {X.length}, type);
                    OnnxTensor a = OnnxTensor.createTensor(
                            OrtRunner.ENV, bytes(new float[] {A, A, A, A}, half), new long[] {X.length}, type);
                    OrtSession.Result result = session.run(Map.of("x", x, "a", a))) {
                ByteBuffer out = ((OnnxTensor) result.get("y").orElseThrow())
                        .getByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN);
                float[] values = new float[X.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = half.get(out);
                }
                return values;
            }
        }
    }

    private static ByteBuffer bytes(float[] values, Precision half) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            half.put(buffer, v);
        }
        return buffer.flip();
    }
}
