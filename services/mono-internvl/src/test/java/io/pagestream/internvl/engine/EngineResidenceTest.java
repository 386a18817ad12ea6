package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.onnx.TargetDtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The device-resident path (KV cache bound through ORT's IoBinding, decode graph without the visual experts) computes
 * what the host path (Java API, full decoder graph) computes: same tokens, log-probs within 1e-4, for batched pages
 * with images, prefix reuse and continuous batching, in fp32 and int4; and a decode step moves only ids, lengths
 * and logits between host and session memory.
 */
class EngineResidenceTest {
    private static final int SLOTS = 4;
    private static final int CAPACITY = 400;

    @Test
    void devicePathMatchesHostPathInFp32() {
        compare(TinyEngineModel.onnx());
    }

    @Test
    void devicePathMatchesHostPathInInt4() {
        Path int4 = TinyEngineModel.root().resolve("onnx-int4");
        Converter.convert(TinyEngineModel.checkpoint(), int4, TargetDtype.INT4);
        compare(int4);
    }

    private static void compare(Path onnx) {
        List<GenerationResult> host = run(onnx, KvResidence.HOST);
        List<GenerationResult> device = run(onnx, KvResidence.DEVICE);
        assertEquals(host.size(), device.size());
        double worst = 0;
        for (int i = 0; i < host.size(); i++) {
            assertArrayEquals(host.get(i).tokenIds(), device.get(i).tokenIds(), "request " + i);
            float[] a = host.get(i).logprobs();
            float[] b = device.get(i).logprobs();
            for (int t = 0; t < a.length; t++) {
                worst = Math.max(worst, Math.abs(a[t] - b[t]));
            }
        }
        System.out.printf(
                "%s: %d requests, same tokens, max |Δ logprob| %.2e%n", onnx.getFileName(), host.size(), worst);
        assertTrue(worst <= 1e-4, "log-probs differ by " + worst);
    }

    private static List<GenerationResult> run(Path onnx, KvResidence residence) {
        EngineConfig config = TinyEngineModel.config(SLOTS, CAPACITY).withKvResidence(residence);
        try (GenerationEngine engine = GenerationEngine.open(TinyEngineModel.checkpoint(), onnx, config)) {
            PixelTiles wide = engine.preprocess(TinyEngineModel.image(448, 224, 3));
            PixelTiles square = engine.preprocess(TinyEngineModel.image(224, 224, 4));
            List<PageRequest> pages = List.of(
                    PageRequest.of(
                            wide,
                            request("Transcribe the page.", 12),
                            request("Who wrote it?", 5),
                            request("What is the date?", 9)),
                    PageRequest.text(request("Hello there, how are you today?", 14)),
                    PageRequest.of(square, request("Describe it.", 7), request("Any numbers?", 11)),
                    PageRequest.text(request("Hi", 6)));
            List<GenerationHandle> handles = new ArrayList<>();
            for (PageRequest page : pages) {
                handles.addAll(engine.submit(page));
            }
            List<GenerationResult> results = new ArrayList<>();
            for (GenerationHandle handle : handles) {
                results.add(handle.join());
            }
            assertTrue(engine.stats().decodeTokens() > engine.stats().decodeSteps(), "rows were decoded together");
            return results;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDeviceDecodeStepMovesOnlyIdsLengthsAndLogits() {
        EngineConfig config = TinyEngineModel.config(SLOTS, CAPACITY);
        try (GenerationEngine device = TinyEngineModel.open(config);
                GenerationEngine host = TinyEngineModel.open(config.withKvResidence(KvResidence.HOST))) {
            long vocab = device.model().vocab();
            for (int batch = 1; batch <= SLOTS; batch++) {
                // ids (int64), seqlens (int32) and the total (one int32) in; float logits out.
                long expected = 8L * batch + 4L * batch + 4 + 4L * batch * vocab;
                assertEquals(expected, device.stagedBytesPerStep(batch), "batch " + batch);
                long kvRows = device.kvCacheBytes() / SLOTS * batch;
                assertTrue(host.stagedBytesPerStep(batch) > 2 * kvRows, "the host path hands ORT the whole cache");
            }
        }
    }

    private static GenerationRequest request(String prompt, int tokens) {
        return GenerationRequest.of(prompt, tokens).withStopTokens(Set.of()).withRepetitionGuard(RepetitionGuard.NONE);
    }
}
