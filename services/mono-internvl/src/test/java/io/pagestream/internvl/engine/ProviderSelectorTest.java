package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** CUDA asked for where it cannot load: the engine runs on the CPU and says so in one log line. */
class ProviderSelectorTest {

    @Test
    void cudaFallsBackToTheCpuWithOneWarning() {
        assumeTrue(
                ProviderSelector.select(RuntimeOptions.DEFAULT.withProvider(ExecutionProvider.CUDA))
                        == ExecutionProvider.CPU,
                "this machine runs CUDA");
        Logger logger = Logger.getLogger(ProviderSelector.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(1, 300)
                .withRuntime(RuntimeOptions.DEFAULT
                        .withProvider(ExecutionProvider.CUDA)
                        .withThreads(1, 1)))) {
            assertEquals(ExecutionProvider.CPU, engine.model().provider());
            assertEquals(
                    1,
                    engine.generate(PageRequest.text(GenerationRequest.of("Hi", 1)))
                            .getFirst()
                            .tokenIds()
                            .length);
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, records.size(), "one line per engine");
        assertEquals(Level.WARNING, records.getFirst().getLevel());
        assertTrue(
                records.getFirst().getMessage().contains("falling back to the CPU"),
                records.getFirst().getMessage());
        System.out.println("[engine-provider] " + records.getFirst().getMessage());
    }
}
