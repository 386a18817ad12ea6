package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.Int4Options;
import io.pagestream.internvl.onnx.TargetDtype;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests that cannot fit, and conversions that cannot generate, are refused with a clear message up front. */
class EngineRejectionTest {

    @Test
    void requestsThatCannotFitAreRefusedBeforeAnyWork() {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(2, 300))) {
            RequestRejectedException slot = assertThrows(
                    RequestRejectedException.class,
                    () -> engine.submit(PageRequest.of(
                            engine.preprocess(TinyEngineModel.image(448, 224, 1)),
                            GenerationRequest.of("Read it.", 100))));
            assertTrue(
                    slot.getMessage().contains("KV positions")
                            && slot.getMessage().contains("300"),
                    slot.getMessage());
            RequestRejectedException tooMany = assertThrows(
                    RequestRejectedException.class,
                    () -> engine.submit(
                            new PageRequest(List.of(), Collections.nCopies(3, GenerationRequest.of("Hi", 2)))));
            assertTrue(tooMany.getMessage().contains("maxBatch = 2"), tooMany.getMessage());
            assertThrows(
                    RequestRejectedException.class,
                    () -> engine.submit(PageRequest.text(GenerationRequest.of("<image> with no image", 2))));
            assertEquals(0, engine.stats().pages(), "nothing reached the model");
            assertEquals(
                    1,
                    engine.generate(PageRequest.text(GenerationRequest.of("Hi", 1)))
                            .getFirst()
                            .tokenIds()
                            .length,
                    "the engine still serves requests that fit");
        }
    }

    @Test
    void sequencesBeyondTheModelsPositionsAreRefused() {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(1, 2048))) {
            RequestRejectedException error = assertThrows(
                    RequestRejectedException.class,
                    () -> engine.submit(PageRequest.text(GenerationRequest.of("Hi", 600))));
            assertTrue(
                    error.getMessage().contains("maxPositions in conversion.json")
                            && error.getMessage().contains("512"),
                    error.getMessage());
        }
    }

    @Test
    void aMissingOrUnsuitableConversionIsRefusedAtOpen(@TempDir Path dir) {
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class,
                () -> GenerationEngine.open(TinyEngineModel.checkpoint(), dir, EngineConfig.DEFAULT));
        assertTrue(missing.getMessage().contains("model convert"), missing.getMessage());
        Converter.convert(
                TinyEngineModel.checkpoint(),
                dir.resolve("scoring"),
                new DecoderOptions(TargetDtype.FP32, Int4Options.DEFAULT, true));
        IllegalArgumentException scoring = assertThrows(
                IllegalArgumentException.class,
                () -> GenerationEngine.open(
                        TinyEngineModel.checkpoint(), dir.resolve("scoring"), EngineConfig.DEFAULT));
        assertTrue(scoring.getMessage().contains("every position"), scoring.getMessage());
    }

    @Test
    void anInt4ConversionWithOtherOptionsIsAccepted(@TempDir Path dir) throws Exception {
        Converter.convert(
                TinyEngineModel.checkpoint(),
                dir,
                new DecoderOptions(TargetDtype.INT4, new Int4Options(true, 4), false));
        try (GenerationEngine engine =
                GenerationEngine.open(TinyEngineModel.checkpoint(), dir, TinyEngineModel.config(1, 200))) {
            assertEquals("INT4", engine.model().dtype());
            assertEquals(
                    2,
                    engine.generate(PageRequest.text(
                                    GenerationRequest.of("Hi", 2).withStopTokens(java.util.Set.of())))
                            .getFirst()
                            .tokenIds()
                            .length);
        }
    }
}
