package io.pagestream.stack;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Waits for a started component to answer, failing with its name and what it said when it does not. */
final class Readiness {
    private Readiness() {}

    static void await(
            String what,
            Duration timeout,
            BooleanSupplier alive,
            BooleanSupplier ready,
            java.util.function.Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(what + " exited during start-up:\n" + diagnostics.get());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(what + " was not ready after " + timeout + ":\n" + diagnostics.get());
    }

    /** True when the broker answers a metadata request and has a controller. */
    static boolean kafkaAnswers(String bootstrapServers) {
        return kafkaAnswers(bootstrapServers, Map.of());
    }

    /** As {@link #kafkaAnswers(String)}, for a client with {@code settings} (security, credentials) added. */
    static boolean kafkaAnswers(String bootstrapServers, Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().controller().get(3, TimeUnit.SECONDS) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
