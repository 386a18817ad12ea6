package io.pagestream.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.engine.ExecutionProvider;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.ProviderSelector;
import io.pagestream.internvl.engine.RuntimeOptions;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.TinyModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The real engine behind the worker's seam, on the tiny random model: it loads from the default conversion
 * location, warms up, sizes its KV cache, and answers a page with the same greedy tokens alone as in a batch, which
 * is what makes re-processing a page after a crash harmless.
 */
class ModelRuntimeTest {

    /** Asked for CUDA, the KV cache is sized from the memory of the provider the engine really runs on. */
    @Test
    void sizesFromTheMemoryOfTheProviderInUse() throws Exception {
        WorkerConfig config = Configs.worker(Map.of(
                "pagestream.worker.model.checkpoint", TinyModel.shared().toString(),
                "pagestream.worker.model.provider", "cuda",
                "pagestream.worker.model.threads", "1",
                "pagestream.worker.engine.max-slots", "2"));
        ExecutionProvider usable = ProviderSelector.select(RuntimeOptions.DEFAULT.withProvider(ExecutionProvider.CUDA));
        try (ModelRuntime runtime = ModelRuntime.open(config)) {
            Class<?> expected = usable == ExecutionProvider.CUDA ? NvidiaSmiMemory.class : SystemMemory.class;
            assertEquals(expected, runtime.memory().getClass(), "memory of " + usable);
        }
    }

    @Test
    void loadsWarmsUpAndGivesTheSameGreedyOutputAloneAsInABatch() throws Exception {
        WorkerConfig config = Configs.worker(Map.of(
                "pagestream.worker.model.checkpoint", TinyModel.shared().toString(),
                "pagestream.worker.model.threads", "1",
                "pagestream.worker.engine.max-slots", "8",
                "pagestream.worker.prompts.ocr-max-new-tokens", "12",
                "pagestream.worker.prompts.question-max-new-tokens", "6"));
        try (ModelRuntime runtime = ModelRuntime.open(config)) {
            PageEngine engine = runtime.engine();
            assertEquals("tiny", runtime.identity().modelId());
            assertTrue(
                    runtime.identity().modelVersion().startsWith("fp32-"),
                    runtime.identity().modelVersion());
            assertEquals(8, engine.slots(), "free memory allows more; the cap holds");
            assertEquals(13 * 256 + 512 + 12, engine.slotTokens(), "13 tiles, the text allowance, the OCR limit");

            PixelTiles[] tiles = new PixelTiles[4];
            for (int i = 0; i < tiles.length; i++) {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(Pages.png(448, 448, i)));
                tiles[i] = engine.preprocess(image);
            }
            List<PromptSpec> prompts =
                    runtime.prompts().forPage(Pages.page("doc", 0, 1, new byte[0], List.of("What is the date?")));
            List<GenerationResult> alone = run(engine, tiles[2], prompts);
            List<List<PageEngine.PromptRun>> batch = new ArrayList<>();
            for (PixelTiles t : tiles) {
                batch.add(engine.submit(new PageRequest(
                        List.of(t), prompts.stream().map(PromptSpec::request).toList())));
            }
            List<GenerationResult> batched =
                    batch.get(2).stream().map(r -> r.result().join()).toList();
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(alone.get(i).tokenIds(), batched.get(i).tokenIds(), "prompt " + i);
                assertEquals(alone.get(i).text(), batched.get(i).text());
                assertEquals(alone.get(i).logprobs().length, batched.get(i).logprobs().length);
            }
        }
    }

    private static List<GenerationResult> run(PageEngine engine, PixelTiles tiles, List<PromptSpec> prompts) {
        return engine
                .submit(new PageRequest(
                        List.of(tiles),
                        prompts.stream().map(PromptSpec::request).toList()))
                .stream()
                .map(r -> r.result().join())
                .toList();
    }
}
