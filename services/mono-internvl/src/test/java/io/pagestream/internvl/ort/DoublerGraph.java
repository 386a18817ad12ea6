package io.pagestream.internvl.ort;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.onnx.GraphBuilder;
import io.pagestream.internvl.onnx.WeightFile;
import java.nio.file.Path;

/** A one-node session for binding tests: {@code y = x + x}, x and y float [2, n]. */
final class DoublerGraph {
    private DoublerGraph() {}

    static OrtSession open(Path dir) throws OrtException {
        try (WeightFile weights = new WeightFile(dir.resolve("model.onnx.data"))) {
            GraphBuilder g = GraphBuilder.create("doubler", weights);
            String x = g.input("x", DataType.FLOAT, 2, "n");
            g.op("Identity", g.op("Add", x, x).out()).exact("y");
            g.output("y", DataType.FLOAT, 2, "n");
            g.save(dir.resolve("model.onnx"));
        }
        return OrtEnvironment.getEnvironment()
                .createSession(dir.resolve("model.onnx").toString(), new OrtSession.SessionOptions());
    }
}
