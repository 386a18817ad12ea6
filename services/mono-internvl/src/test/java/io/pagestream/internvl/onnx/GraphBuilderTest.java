package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphBuilderTest {
    @TempDir
    Path dir;

    /** y = x · W + b with W and b in the external file, W transposed from a Linear-style [out, in] matrix. */
    private void buildLinear(Precision precision) {
        try (WeightFile weights = new WeightFile(dir.resolve("model.onnx.data"))) {
            GraphBuilder g = GraphBuilder.create("linear", weights);
            String x = g.input("x", DataType.FLOAT, "rows", 3);
            float[] w = {1, 2, 3, 4, 5, 6};
            String wt = g.weight(
                    "w", precision.onnxType(), List.of(3L, 2L), MatrixData.transposed(Matrix.of(w, 2, 3), precision));
            String b = g.weight(
                    "b",
                    precision.onnxType(),
                    List.of(2L),
                    MatrixData.rowMajor(Matrix.of(new float[] {0.5f, -1}, 1, 2), precision));
            String y = g.op(
                            "Add",
                            g.op("MatMul", VisionGraph.cast(g, x, precision), wt)
                                    .out(),
                            b)
                    .out();
            if (precision != Precision.FP32) {
                y = g.op("Cast", y)
                        .attr("to", (long) DataType.FLOAT.getNumber())
                        .out();
            }
            g.op("Identity", y).exact("y");
            g.output("y", DataType.FLOAT, "rows", 2);
            g.save(dir.resolve("model.onnx"));
        }
    }

    @Test
    void externalWeightsAreAlignedAndRunInOrt() throws Exception {
        buildLinear(Precision.FP32);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        for (TensorProto tensor : model.getGraph().getInitializerList()) {
            assertEquals(TensorProto.DataLocation.EXTERNAL, tensor.getDataLocation());
            Map<String, String> entries = entries(tensor.getExternalDataList());
            assertEquals("model.onnx.data", entries.get("location"));
            assertEquals(0, Long.parseLong(entries.get("offset")) % WeightFile.ALIGNMENT, tensor.getName());
        }
        assertEquals(WeightFile.ALIGNMENT + 8, Files.size(dir.resolve("model.onnx.data")));

        try (OrtRunner ort = new OrtRunner(dir.resolve("model.onnx"))) {
            float[] y = ort.run(Map.of("x", OrtRunner.floats(new float[] {1, 0, -1, 2, 1, 0}, 2, 3)))
                    .get("y");
            assertArrayEquals(new float[] {1 - 3 + 0.5f, 4 - 6 - 1, 2 + 2 + 0.5f, 8 + 5 - 1}, y, 1e-6f);
        }
    }

    @Test
    void halfPrecisionWeightsRoundTrip() throws Exception {
        buildLinear(Precision.FP16);
        try (OrtRunner ort = new OrtRunner(dir.resolve("model.onnx"))) {
            float[] y = ort.run(Map.of("x", OrtRunner.floats(new float[] {1, 0, -1, 2, 1, 0}, 2, 3)))
                    .get("y");
            assertArrayEquals(new float[] {-1.5f, -3, 4.5f, 12}, y, 1e-3f);
        }
    }

    @Test
    void namesAreScopedAndUnique() {
        GraphBuilder g = GraphBuilder.create("names", null);
        String x = g.input("x", DataType.FLOAT, 1);
        GraphBuilder layer = g.scope("layers.0").scope("attention");
        String first = layer.op("Neg", x).out();
        String second = layer.op("Neg", first).out();
        assertEquals("layers.0/attention/Neg", first);
        assertEquals("layers.0/attention/Neg_1", second);
        assertThrows(IllegalArgumentException.class, () -> g.input("x", DataType.FLOAT, 1));
        assertTrue(g.graph().getNodeList().stream().allMatch(n -> n.getName().equals(n.getOutput(0))));
    }

    /** A second graph over the same file gets the bytes already written under a name and writes none. */
    @Test
    void aSecondGraphOverTheSameFileReusesWrittenWeights() throws Exception {
        TensorData neverRead = TensorData.deferred(8, () -> {
            throw new AssertionError("reused data must not be produced again");
        });
        try (WeightFile weights = new WeightFile(dir.resolve("model.onnx.data"))) {
            GraphBuilder first = GraphBuilder.create("first", weights);
            first.weight(
                    "w",
                    DataType.FLOAT,
                    List.of(2L),
                    MatrixData.rowMajor(Matrix.of(new float[] {1, 2}, 1, 2), Precision.FP32));
            GraphBuilder second = GraphBuilder.create("second", weights);
            second.weight("w", DataType.FLOAT, List.of(2L), neverRead);
            assertEquals(first.graph().getInitializer(0), second.graph().getInitializer(0));
            assertEquals(8, weights.size());
            assertThrows(IllegalArgumentException.class, () -> GraphBuilder.create("third", weights)
                    .weight("w", DataType.FLOAT, List.of(1L, 2L), neverRead));
        }
        assertEquals(8, Files.size(dir.resolve("model.onnx.data")));
    }

    private static Map<String, String> entries(List<StringStringEntryProto> list) {
        return list.stream()
                .collect(java.util.stream.Collectors.toMap(
                        StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    }
}
