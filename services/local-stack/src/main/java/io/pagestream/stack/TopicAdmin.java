package io.pagestream.stack;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics that do not exist yet; safe to call again with the same list. */
public final class TopicAdmin {
    private TopicAdmin() {}

    public static void createMissing(String bootstrapServers, Collection<NewTopic> topics) {
        createMissing(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics);
    }

    /** As {@link #createMissing(String, Collection)}, as the admin client {@code adminSettings} configure (security). */
    public static void createMissing(Map<String, Object> adminSettings, Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Object bootstrapServers = adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(adminSettings)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + entry.getKey() + " failed", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("listing topics on " + bootstrapServers + " failed", e);
        }
    }
}
