package io.pagestream.internvl.onnx;

import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.CheckpointLayout;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A float32 copy of a checkpoint in which every weight the int4 conversion quantises is replaced by the values its
 * 4-bit codes stand for, (code − zero) · scale. The reference run on this copy is what the int4 graph must compute,
 * exactly up to float rounding. The codes are recomputed here from the published formula, and the zero points are
 * read back from their packed form, so a packing mistake in the converter shows up as a mismatch.
 */
final class DequantizedCheckpoint {
    static final Pattern QUANTISED = Pattern.compile(
            "language_model\\.(output|model\\.layers\\.\\d+\\.(attention\\.(wqkv|wo)|feed_forward(_ve)?\\.w[123]))"
                    + "\\.weight");

    private DequantizedCheckpoint() {}

    static void write(Path source, Path target, boolean symmetric) throws IOException {
        Files.createDirectories(target);
        ModelConfig config = ConfigJson.load(source);
        Checkpoint checkpoint = Checkpoint.open(source);
        ConfigJson.write(config, target);
        SafetensorsWriter.writeCheckpoint(
                target,
                CheckpointLayout.of(config).specs(DType.F32),
                Long.MAX_VALUE,
                spec -> QUANTISED.matcher(spec.name()).matches()
                        ? dequantised(Matrix.of(checkpoint, spec.name()), symmetric)
                        : checkpoint.toFloatArray(spec.name()));
    }

    private static float[] dequantised(Matrix weight, boolean symmetric) {
        Int4Quantizer.Quantized q = Int4Quantizer.quantize(weight, symmetric);
        int k = q.k();
        float[] values = new float[q.n() * k];
        for (int r = 0; r < q.n(); r++) {
            weight.read(r, 0, values, r * k, k);
        }
        int zeroBytesPerRow = (q.blocks() + 1) / 2;
        for (int r = 0; r < q.n(); r++) {
            for (int c = 0; c < k; c++) {
                int block = c / Int4Quantizer.BLOCK;
                float scale = q.scales()[r * q.blocks() + block];
                int zero = symmetric ? 8 : (q.zeroPoints()[r * zeroBytesPerRow + block / 2] >> (block % 2 * 4)) & 0xF;
                int code = Math.clamp(Math.round(values[r * k + c] / scale) + zero, 0, 15);
                values[r * k + c] = (code - zero) * scale;
            }
        }
        return values;
    }
}
