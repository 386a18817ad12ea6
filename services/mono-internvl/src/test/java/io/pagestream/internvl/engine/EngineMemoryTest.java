package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pagestream.internvl.image.PixelTiles;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Memory stays flat over 1,000 short generations (resident set and heap after GC measured after a warm-up and at
 * the end), and closing the engine gives its KV cache back to the system.
 */
@EnabledOnOs(OS.LINUX)
class EngineMemoryTest {
    private static final int WARM_UP = 100;
    private static final int GENERATIONS = 1000;

    @BeforeAll
    static void heapIsFixed() {
        assumeTrue(
                ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch"),
                "resident memory measures native memory only with a fixed, pre-touched heap: run in the "
                        + "engine-memory Surefire execution");
    }

    @Test
    void memoryIsFlatOverAThousandGenerations() {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(8, 400))) {
            PixelTiles image = engine.preprocess(TinyEngineModel.image(224, 224, 9));
            run(engine, image, WARM_UP);
            long heap = ProcessMemory.heapAfterGc();
            long rss = ProcessMemory.residentBytes();
            run(engine, image, GENERATIONS - WARM_UP);
            long heapGrowth = ProcessMemory.heapAfterGc() - heap;
            long rssGrowth = ProcessMemory.residentBytes() - rss;
            assertEquals(GENERATIONS, engine.stats().prompts());
            System.out.printf(
                    "[engine-memory] %d generations after %d of warm-up: resident set %+.1f MiB, heap "
                            + "after GC %+.1f MiB%n",
                    GENERATIONS - WARM_UP, WARM_UP, rssGrowth / 1048576.0, heapGrowth / 1048576.0);
            assertTrue(rssGrowth < 24L << 20, "resident set grew " + ProcessMemory.mib(rssGrowth));
            assertTrue(heapGrowth < 8L << 20, "heap grew " + ProcessMemory.mib(heapGrowth));
        }
    }

    @Test
    void closingReleasesTheKvCache() {
        long before = ProcessMemory.residentBytes();
        GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(8, 16_384));
        long kv = engine.kvCacheBytes();
        long open = ProcessMemory.residentBytes();
        engine.close();
        long closed = ProcessMemory.residentBytes();
        System.out.printf(
                "[engine-memory] KV cache %s: resident %s before open, %s open, %s after close%n",
                ProcessMemory.mib(kv), ProcessMemory.mib(before), ProcessMemory.mib(open), ProcessMemory.mib(closed));
        assertTrue(kv >= 64L << 20);
        assertTrue(open - closed > kv * 9 / 10, "closing gave back " + ProcessMemory.mib(open - closed));
    }

    /** Pages of one image and two prompts, four pages at a time so that the batch is full. */
    private static void run(GenerationEngine engine, PixelTiles image, int generations) {
        for (int done = 0; done < generations; ) {
            List<GenerationHandle> handles = new ArrayList<>();
            for (int page = 0; page < 4 && done < generations; page++) {
                GenerationRequest ocr =
                        GenerationRequest.of("Transcribe the page.", 3).withStopTokens(Set.of());
                GenerationRequest question =
                        GenerationRequest.of("Who signed it?", 2).withStopTokens(Set.of());
                List<GenerationRequest> prompts = generations - done >= 2 ? List.of(ocr, question) : List.of(ocr);
                handles.addAll(engine.submit(new PageRequest(List.of(image), prompts)));
                done += prompts.size();
            }
            handles.forEach(GenerationHandle::join);
        }
    }
}
