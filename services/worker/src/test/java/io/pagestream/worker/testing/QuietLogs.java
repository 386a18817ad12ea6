package io.pagestream.worker.testing;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the in-process broker's and the Kafka clients' INFO chatter down to warnings. Plain JUnit tests log through
 * Quarkus's JBoss LogManager set-up, which reads no {@code logging.properties}, so the levels are set here; the
 * loggers are held so that they are not collected and their levels forgotten.
 */
public final class QuietLogs {
    private static final List<Logger> HELD = List.of(Logger.getLogger("org.apache.kafka"), Logger.getLogger("kafka"),
            Logger.getLogger("state.change.logger"), Logger.getLogger("org.apache.kafka.clients"));

    private QuietLogs() {
    }

    public static void kafka() {
        HELD.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
