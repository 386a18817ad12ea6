package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.pagestream.internvl.checkpoint.LlmConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conversion-time transforms and small graph pieces, each against the spec's formulas. */
class GraphPiecesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void pixelShuffleMovesEveryValueWhereSpec33Says(String version) throws Exception {
        int tiles = 2;
        int channels = 3;
        int side = 4;
        GraphBuilder g = GraphBuilder.create("shuffle", null);
        String grid = g.input("grid", DataType.FLOAT, tiles, channels, side, side);
        g.op("Identity", VisionGraph.pixelShuffle(g, grid, channels, side, 2, version))
                .exact("out");
        g.output("out", DataType.FLOAT);
        Path model = dir.resolve("shuffle.onnx");
        g.save(model);

        float[] input = new float[tiles * channels * side * side];
        for (int i = 0; i < input.length; i++) {
            input[i] = i;
        }
        float[] out;
        try (OrtRunner ort = new OrtRunner(model)) {
            out = ort.run(Map.of("grid", OrtRunner.floats(input, tiles, channels, side, side)))
                    .get("out");
        }
        int half = side / 2;
        int width = 4 * channels;
        for (int n = 0; n < tiles; n++) {
            for (int r2 = 0; r2 < half; r2++) {
                for (int c2 = 0; c2 < half; c2++) {
                    int token = version.equals("v2") ? r2 * half + c2 : c2 * half + r2;
                    for (int dr = 0; dr < 2; dr++) {
                        for (int dc = 0; dc < 2; dc++) {
                            for (int ch = 0; ch < channels; ch++) {
                                int r = 2 * r2 + dr;
                                int c = 2 * c2 + dc;
                                float expected = input[((n * channels + ch) * side + r) * side + c];
                                int at = (n * half * half + token) * width + dr * 2 * channels + dc * channels + ch;
                                assertEquals(expected, out[at], "tile " + n + " token " + token);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void qkvRowsFollowSpec36() {
        LlmConfig llm = new LlmConfig(
                List.of(LlmConfig.ARCHITECTURE), 8, 1, 4, 2, 16, 10, 1e-5, 1e6, null, 64, "silu", false, false);
        int[] rows = QkvLayout.sourceRows(llm);
        int d = 2;
        // KV head h owns checkpoint rows h·8 .. h·8+7: q(2h) at +0, q(2h+1) at +2, k(h) at +4, v(h) at +6.
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15}, rows);
        assertEquals(llm.qkvRows(), rows.length);
        assertEquals(d, llm.headDim());
    }

    /** Java's bicubic position-embedding resize against ORT's Resize (cubic, a = −0.75, half-pixel), both ways. */
    @ParameterizedTest
    @ValueSource(ints = {3, 6, 11})
    void bicubicMatchesOrtResize(int newSide) throws Exception {
        int side = 5;
        int channels = 2;
        float[] grid = new float[side * side * channels];
        Random random = new Random(7);
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) random.nextGaussian();
        }
        GraphBuilder g = GraphBuilder.create("resize", null);
        String x = g.input("x", DataType.FLOAT, 1, channels, side, side);
        String sizes = g.ints("sizes", 1, channels, newSide, newSide);
        g.op("Resize", x, "", "", sizes)
                .attr("mode", "cubic")
                .attr("cubic_coeff_a", -0.75f)
                .attr("coordinate_transformation_mode", "half_pixel")
                .exact("y");
        g.output("y", DataType.FLOAT);
        Path model = dir.resolve("resize.onnx");
        g.save(model);
        float[] expected;
        try (OrtRunner ort = new OrtRunner(model)) {
            expected = ort.run(Map.of(
                            "x", OrtRunner.floats(channelsFirst(grid, side * side, channels), 1, channels, side, side)))
                    .get("y");
        }
        float[] actual = channelsFirst(Bicubic.resize(grid, side, channels, newSide), newSide * newSide, channels);
        double diff = OrtRunner.maxAbsDiff(expected, actual);
        assertTrue(diff < 1e-5, "max abs diff " + diff);
    }

    private static float[] channelsFirst(float[] values, int positions, int channels) {
        float[] out = new float[values.length];
        for (int p = 0; p < positions; p++) {
            for (int c = 0; c < channels; c++) {
                out[c * positions + p] = values[p * channels + c];
            }
        }
        return out;
    }

    @Test
    void ropeTablesHoldCosSinOfPositionTimesInverseFrequency() {
        RopeCache rope = RopeCache.of(10000, 8, 5);
        assertEquals(4, rope.half());
        assertEquals((float) Math.cos(3 * Math.pow(10000, -2.0 * 2 / 8)), rope.cos()[3 * 4 + 2], 1e-7f);
        assertEquals((float) Math.sin(4 * Math.pow(10000, -2.0 * 1 / 8)), rope.sin()[4 * 4 + 1], 1e-7f);
        assertEquals(1f, rope.cos()[2]);
    }
}
