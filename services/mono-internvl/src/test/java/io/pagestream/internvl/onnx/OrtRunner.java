package io.pagestream.internvl.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A CPU session over a saved model for tests: inputs by name, outputs flattened to float arrays. */
final class OrtRunner implements AutoCloseable {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OrtSession session;

    OrtRunner(Path model) throws OrtException {
        this(model, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    /** A session at the given optimisation level ({@link PrecisionEmulation} needs them off). */
    OrtRunner(Path model, OrtSession.SessionOptions.OptLevel level) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        options.setOptimizationLevel(level);
        session = ENV.createSession(model.toString(), options);
    }

    OrtSession session() {
        return session;
    }

    /** Runs and returns every output as floats (float32 outputs only), keyed by output name. */
    Map<String, float[]> run(Map<String, OnnxTensor> inputs) throws OrtException {
        Map<String, float[]> outputs = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(inputs)) {
            for (Map.Entry<String, OnnxValue> entry : result) {
                FloatBuffer buffer = ((OnnxTensor) entry.getValue()).getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                outputs.put(entry.getKey(), values);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
        return outputs;
    }

    static OnnxTensor floats(float[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(values), shape);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
