package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MatMulNBits over our packed weights against the exact float product. Rounding to the nearest code errs by at most
 * half a scale per weight, so |y − exact| ≤ Σ_k |x_k| · scale(k) / 2; a wrong nibble order, block layout or zero point
 * misses that bound by orders of magnitude.
 */
class OnnxInt4QuantizerTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"true, 64", "false, 64", "true, 48", "false, 80"})
    void matMulNBitsStaysWithinHalfAStepOfTheExactProduct(boolean symmetric, int k) throws Exception {
        int n = 24;
        int rows = 5;
        Random random = new Random(11);
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.2 + (symmetric ? 0 : 0.1));
        }
        float[] x = new float[rows * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        Matrix weight = Matrix.of(w, n, k);
        Int4Quantizer.Quantized q = Int4Quantizer.quantize(weight, symmetric);
        Path model = dir.resolve("model.onnx");
        try (WeightFile weights = new WeightFile(dir.resolve("model.onnx.data"))) {
            GraphBuilder g = GraphBuilder.create("q4", weights);
            String in = g.input("x", DataType.FLOAT, rows, k);
            Linear linear = new Linear(TargetDtype.INT4, new Int4Options(symmetric, 0));
            g.op("Identity", linear.apply(g, in, linear.weight(g, "w", weight))).exact("y");
            g.output("y", DataType.FLOAT, rows, n);
            g.save(model);
        }
        float[] y;
        try (OrtRunner ort = new OrtRunner(model)) {
            y = ort.run(Map.of("x", OrtRunner.floats(x, rows, k))).get("y");
        }
        double worstRatio = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double bound = 1e-4;
                for (int i = 0; i < k; i++) {
                    exact += x[r * k + i] * w[j * k + i];
                    bound += Math.abs(x[r * k + i]) * q.scales()[j * q.blocks() + i / Int4Quantizer.BLOCK] / 2;
                }
                double error = Math.abs(y[r * n + j] - exact);
                assertTrue(error <= bound, "row " + r + " col " + j + ": error " + error + " > bound " + bound);
                worstRatio = Math.max(worstRatio, error / bound);
            }
        }
        assertTrue(worstRatio > 0.01, "suspiciously exact: quantisation seems not to have happened");
    }
}
