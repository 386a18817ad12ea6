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
import java.util.Set;

/**
 * Runs the vision graph over all tiles of a page's images, in order, writing the projector rows into the engine's
 * preallocated row buffer: the vision output is pinned there, and prefill chunks read their rows from it without a
 * copy. The row buffer holds one slot's worth (a prompt has one token per row, so a page whose prompts fit a slot
 * fits it). Tiles are encoded independently of each other, so they go through a pixel buffer of a few tiles at a
 * time rather than one sized for the largest possible page.
 */
final class ImageEncoder {
    private final OrtEnvironment env;
    private final OrtSession vision;
    private final int hidden;
    private final int tokensPerTile;
    private final int tileValues;
    private final FloatBuffer pixels;
    private final FloatBuffer rows;

    ImageEncoder(OnnxModel model, FloatBuffer pixels, FloatBuffer rows) {
        this.env = model.env;
        this.vision = model.vision;
        this.hidden = model.info.hidden();
        this.tokensPerTile = model.info.tokensPerTile();
        this.tileValues = 3 * model.info.tileSize() * model.info.tileSize();
        this.pixels = pixels;
        this.rows = rows;
    }

    /** Encodes the images; returns how many rows of the row buffer now hold their projector output. */
    int encode(List<PixelTiles> images) throws OrtException {
        int tiles = images.stream().mapToInt(PixelTiles::tileCount).sum();
        if ((long) tiles * tokensPerTile * hidden > rows.capacity()) {
            throw new IllegalStateException(tiles + " tiles do not fit the row buffer sized for one KV slot");
        }
        int perRun = pixels.capacity() / tileValues;
        int done = 0;
        for (PixelTiles image : images) {
            for (int first = 0; first < image.tileCount(); first += perRun) {
                int count = Math.min(perRun, image.tileCount() - first);
                pixels.put(0, image.values(), first * tileValues, count * tileValues);
                run(count, image.tileSize(), done);
                done += count;
            }
        }
        return tiles * tokensPerTile;
    }

    private void run(int tiles, int size, int firstTile) throws OrtException {
        int rowCount = tiles * tokensPerTile;
        try (OnnxTensor input = OnnxTensor.createTensor(
                        env, pixels.slice(0, tiles * tileValues), new long[] {tiles, 3, size, size});
                OnnxTensor output = OnnxTensor.createTensor(
                        env,
                        rows.slice(firstTile * tokensPerTile * hidden, rowCount * hidden),
                        new long[] {rowCount, hidden})) {
            vision.run(Map.of(VisionGraph.PIXEL_VALUES, input), Set.of(), Map.of(VisionGraph.PROJECTOR_ROWS, output))
                    .close();
        }
    }
}
