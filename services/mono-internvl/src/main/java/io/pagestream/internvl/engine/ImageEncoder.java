package io.pagestream.internvl.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.onnx.VisionGraph;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/** Runs the vision graph once over all tiles of a page's images, in order: their projector rows, [rows · hidden]. */
final class ImageEncoder {
    private final OrtEnvironment env;
    private final OrtSession vision;

    ImageEncoder(ModelSessions model) {
        this.env = model.env;
        this.vision = model.vision;
    }

    float[] encode(List<PixelTiles> images) throws OrtException {
        if (images.isEmpty()) {
            return new float[0];
        }
        int tiles = images.stream().mapToInt(PixelTiles::tileCount).sum();
        int size = images.getFirst().tileSize();
        float[] pixels;
        if (images.size() == 1) {
            pixels = images.getFirst().values();
        } else {
            pixels = new float[images.stream().mapToInt(image -> image.values().length).sum()];
            int at = 0;
            for (PixelTiles image : images) {
                System.arraycopy(image.values(), 0, pixels, at, image.values().length);
                at += image.values().length;
            }
        }
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels),
                new long[] {tiles, 3, size, size});
                OrtSession.Result result = vision.run(Map.of(VisionGraph.PIXEL_VALUES, input))) {
            FloatBuffer rows = ((OnnxTensor) result.get(VisionGraph.PROJECTOR_ROWS).orElseThrow()).getFloatBuffer();
            float[] values = new float[rows.remaining()];
            rows.get(values);
            return values;
        }
    }
}
