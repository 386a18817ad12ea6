package io.pagestream.testing;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the in-process broker's and the Kafka clients' INFO chatter down to warnings: it would bury everything else.
 * Set here because a test JVM under Quarkus's JBoss LogManager reads no {@code logging.properties}; the loggers are
 * held because java.util.logging keeps only weak references to them, and a collected logger forgets its level.
 */
public final class QuietKafka {
    private static final List<Logger> HELD = List.of(
            Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"), Logger.getLogger("state.change.logger"));

    private QuietKafka() {}

    public static void atWarn() {
        HELD.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
