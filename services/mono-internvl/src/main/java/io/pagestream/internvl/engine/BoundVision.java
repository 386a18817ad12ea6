package io.pagestream.internvl.engine;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.onnx.VisionGraph;
import io.pagestream.internvl.ort.Device;
import io.pagestream.internvl.ort.DeviceBuffer;
import io.pagestream.internvl.ort.ElementType;
import io.pagestream.internvl.ort.IoBinding;
import io.pagestream.internvl.ort.NativeTensor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Runs the vision graph over a page's tiles with its projector rows bound straight into a row block on the device,
 * where {@link BoundPrefill} reads them: pixels cross to the device once per page, the rows never come back. Tiles
 * go through a host pixel buffer a few at a time, as in {@link ImageEncoder}.
 */
final class BoundVision implements AutoCloseable {
    private final Device host;
    private final IoBinding vision;
    private final MemorySegment pixels;
    private final DeviceBuffer rows;
    private final int hidden;
    private final int tokensPerTile;
    private final int tileValues;

    BoundVision(OnnxModel model, Device host, MemorySegment pixels, DeviceBuffer rows) throws OrtException {
        this.host = host;
        this.pixels = pixels;
        this.rows = rows;
        this.hidden = model.info.hidden();
        this.tokensPerTile = model.info.tokensPerTile();
        this.tileValues = 3 * model.info.tileSize() * model.info.tileSize();
        this.vision = IoBinding.of(model.vision);
    }

    void encode(List<PixelTiles> images) throws OrtException {
        int tiles = images.stream().mapToInt(PixelTiles::tileCount).sum();
        long rowBytes = 4L * hidden;
        if (tiles * tokensPerTile * rowBytes > rows.bytes()) {
            throw new IllegalStateException(tiles + " tiles do not fit the row buffer sized for one KV slot");
        }
        int perRun = (int) (pixels.byteSize() / 4 / tileValues);
        int done = 0;
        for (PixelTiles image : images) {
            for (int first = 0; first < image.tileCount(); first += perRun) {
                int count = Math.min(perRun, image.tileCount() - first);
                MemorySegment.copy(image.values(), first * tileValues, pixels, JAVA_FLOAT, 0, count * tileValues);
                int size = image.tileSize();
                int rowCount = count * tokensPerTile;
                try (NativeTensor input = NativeTensor.host(host, pixels, ElementType.FLOAT, count, 3, size, size);
                        NativeTensor output =
                                rows.tensor(done * tokensPerTile * rowBytes, ElementType.FLOAT, rowCount, hidden)) {
                    vision.bindInput(VisionGraph.PIXEL_VALUES, input);
                    vision.bindOutput(VisionGraph.PROJECTOR_ROWS, output);
                    vision.run();
                }
                done += count;
            }
        }
    }

    @Override
    public void close() {
        vision.close();
    }
}
