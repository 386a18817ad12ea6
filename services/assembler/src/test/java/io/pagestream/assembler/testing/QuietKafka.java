package io.pagestream.assembler.testing;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the broker running inside a test JVM at WARN: its INFO lines would bury everything else. The loggers are held
 * here because java.util.logging only keeps weak references to them.
 */
public final class QuietKafka {
    private static final List<Logger> LOGGERS = List.of(Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"));

    private QuietKafka() {
    }

    public static void atWarn() {
        LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
