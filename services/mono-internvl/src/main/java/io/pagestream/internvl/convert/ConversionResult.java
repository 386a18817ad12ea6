package io.pagestream.internvl.convert;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link Converter#convert} did.
 *
 * @param reused  true when a matching earlier conversion was found and nothing was written
 * @param elapsed wall time of the call (checking the cache included)
 */
public record ConversionResult(Path outDir, Manifest manifest, boolean reused, Duration elapsed) {
    public Path embeddingModel() {
        return outDir.resolve(Converter.EMBEDDING).resolve(Converter.MODEL_FILE);
    }

    public Path visionModel() {
        return outDir.resolve(Converter.VISION).resolve(Converter.MODEL_FILE);
    }

    public Path decoderModel() {
        return outDir.resolve(Converter.DECODER).resolve(Converter.MODEL_FILE);
    }

    /** The decode-step graph, {@link Converter#decodeGraph}. */
    public Path decodeModel() {
        return Converter.decodeGraph(outDir);
    }
}
