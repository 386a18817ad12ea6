package io.pagestream.internvl.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.onnx.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConverterTest {
    @TempDir
    Path dir;

    @Test
    void secondConversionIsReusedAndAChangedCheckpointIsReconverted() throws Exception {
        Path model = dir.resolve("checkpoint");
        Path out = dir.resolve("onnx");
        TinyModels.write(model, 1);

        ConversionResult first = Converter.convert(model, out, TargetDtype.FP32);
        assertFalse(first.reused());
        assertEquals(
                List.of(first.embeddingModel(), first.visionModel(), first.decoderModel(), first.decodeModel()),
                Converter.graphs(out));
        for (Path graph : Converter.graphs(out)) {
            assertTrue(Files.isRegularFile(graph), graph.toString());
            assertTrue(Files.size(graph.resolveSibling(Converter.DATA_FILE)) > 0);
        }
        assertEquals(out.resolve("decoder").resolve("decode.onnx"), Converter.decodeGraph(out));
        assertEquals(
                first.decoderModel().resolveSibling(Converter.DATA_FILE),
                Converter.decodeGraph(out).resolveSibling(Converter.DATA_FILE));
        Manifest manifest = Manifest.read(out);
        assertEquals(first.manifest(), manifest);
        assertEquals(Converter.VERSION, manifest.converterVersion());
        assertEquals(TinyModels.IMG_CONTEXT, manifest.imageContextId());
        assertEquals(512, manifest.maxPositions());
        FileTime written = Files.getLastModifiedTime(first.decoderModel());

        ConversionResult second = Converter.convert(model, out, TargetDtype.FP32);
        assertTrue(second.reused());
        assertEquals(first.manifest().cacheKey(), second.manifest().cacheKey());
        assertEquals(written, Files.getLastModifiedTime(first.decoderModel()));
        assertTrue(second.elapsed().compareTo(first.elapsed()) < 0, second.elapsed() + " vs " + first.elapsed());

        TinyModels.write(model, 2);
        Path shard = model.resolve("model.safetensors");
        Files.setLastModifiedTime(
                shard, FileTime.fromMillis(Files.getLastModifiedTime(shard).toMillis() + 2000));
        ConversionResult changed = Converter.convert(model, out, TargetDtype.FP32);
        assertFalse(changed.reused());
        assertNotEquals(first.manifest().cacheKey(), changed.manifest().cacheKey());

        ConversionResult otherDtype = Converter.convert(model, out, TargetDtype.INT4);
        assertFalse(otherDtype.reused());
        assertEquals("INT4", Manifest.read(out).dtype());
    }

    @Test
    void missingGraphOrUnreadableManifestForcesReconversion() throws Exception {
        Path model = dir.resolve("checkpoint");
        Path out = dir.resolve("onnx");
        TinyModels.write(model, 1);
        ConversionResult first = Converter.convert(model, out, TargetDtype.FP32);

        Files.delete(first.visionModel().resolveSibling(Converter.DATA_FILE));
        assertFalse(Converter.convert(model, out, TargetDtype.FP32).reused());
        Files.delete(first.decodeModel());
        assertFalse(Converter.convert(model, out, TargetDtype.FP32).reused());
        assertTrue(Files.isRegularFile(first.decodeModel()));

        Files.writeString(out.resolve(Manifest.FILE_NAME), "{ not json");
        assertFalse(Converter.convert(model, out, TargetDtype.FP32).reused());
        assertTrue(Converter.convert(model, out, TargetDtype.FP32).reused());
    }

    @Test
    void cacheKeyCoversConfigAndShardMetadata() throws Exception {
        Path model = dir.resolve("checkpoint");
        TinyModels.write(model, 1);
        var options = io.pagestream.internvl.onnx.DecoderOptions.of(TargetDtype.FP32);
        String key = CacheKey.of(model, options);
        assertEquals(key, CacheKey.of(model, options));

        Path shard = model.resolve("model.safetensors");
        FileTime mtime = Files.getLastModifiedTime(shard);
        Files.setLastModifiedTime(shard, FileTime.fromMillis(mtime.toMillis() + 1000));
        String touched = CacheKey.of(model, options);
        assertNotEquals(key, touched);
        Files.setLastModifiedTime(shard, mtime);
        assertEquals(key, CacheKey.of(model, options));

        Files.writeString(model.resolve("added_tokens.json"), "{\"<IMG_CONTEXT>\": 92546}");
        assertNotEquals(key, CacheKey.of(model, options));
        assertNotEquals(key, CacheKey.of(model, io.pagestream.internvl.onnx.DecoderOptions.of(TargetDtype.BF16)));
    }

    /**
     * The options that change the graphs change the key; fp32Residual is normalised away where it means nothing
     * (float32 activations), and a key made before it existed (the option off) is unchanged by it.
     */
    @Test
    void cacheKeyCoversPrecisionOptions() throws Exception {
        Path model = dir.resolve("checkpoint");
        TinyModels.write(model, 1);
        DecoderOptions fp16 = DecoderOptions.of(TargetDtype.FP16);
        String key = CacheKey.of(model, fp16);
        assertNotEquals(key, CacheKey.of(model, fp16.withFp32Residual(true)));
        assertNotEquals(
                CacheKey.of(model, DecoderOptions.of(TargetDtype.INT4)),
                CacheKey.of(model, DecoderOptions.of(TargetDtype.INT4_FP16)));
        assertNotEquals(
                CacheKey.of(model, DecoderOptions.of(TargetDtype.INT4_FP16)),
                CacheKey.of(model, DecoderOptions.of(TargetDtype.INT4_FP16).withFp32Residual(true)));
        assertFalse(DecoderOptions.of(TargetDtype.FP32).withFp32Residual(true).fp32Residual());
        assertFalse(DecoderOptions.of(TargetDtype.INT4).withFp32Residual(true).fp32Residual());
        assertEquals(
                CacheKey.of(model, DecoderOptions.of(TargetDtype.FP32)),
                CacheKey.of(model, DecoderOptions.of(TargetDtype.FP32).withFp32Residual(true)));

        Path out = dir.resolve("onnx");
        ConversionResult first = Converter.convert(model, out, fp16);
        assertFalse(first.manifest().fp32Residual());
        ConversionResult residual = Converter.convert(model, out, fp16.withFp32Residual(true));
        assertFalse(residual.reused(), "fp32Residual must reconvert");
        Manifest manifest = Manifest.read(out);
        assertTrue(manifest.fp32Residual());
        assertEquals(fp16.withFp32Residual(true), manifest.decoderOptions());
        assertEquals(manifest.cacheKey(), CacheKey.of(model, manifest.decoderOptions()));
        assertTrue(Converter.convert(model, out, fp16.withFp32Residual(true)).reused());
        assertFalse(Converter.convert(model, out, fp16).reused());
    }

    /** A manifest written before fp32Residual existed reads as the option off and keeps its cache key. */
    @Test
    void manifestWithoutFp32ResidualReadsAsOff() throws Exception {
        Path model = dir.resolve("checkpoint");
        Path out = dir.resolve("onnx");
        TinyModels.write(model, 1);
        ConversionResult result = Converter.convert(model, out, TargetDtype.FP16);
        Path file = out.resolve(Manifest.FILE_NAME);
        String json = Files.readString(file);
        Files.writeString(file, json.replaceAll(",\\s*\"fp32Residual\"\\s*:\\s*false", ""));
        assertFalse(Files.readString(file).contains("fp32Residual"));
        Manifest old = Manifest.read(out);
        assertFalse(old.fp32Residual());
        assertEquals(result.manifest().cacheKey(), CacheKey.of(model, old.decoderOptions()));
        assertTrue(Converter.convert(model, out, TargetDtype.FP16).reused());
    }
}
