package io.pagestream.servicetest;

import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.KafkaBrokerProcess;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.topics.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pipeline's real infrastructure behind a {@code @QuarkusTest}: a single-node KRaft broker and an Apicurio
 * registry, both child processes (a broker inside the Quarkus test class loader is more trouble than a process), with
 * every pipeline topic created. The application gets their addresses as {@value #BOOTSTRAP} and {@value #REGISTRY};
 * the test reads the same keys with {@code ConfigProvider} to produce and consume.
 *
 * <pre>{@code @QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)}</pre>
 */
public final class PipelineStackResource implements QuarkusTestResourceLifecycleManager {
    public static final String BOOTSTRAP = "pagestream.kafka.bootstrap-servers";
    public static final String REGISTRY = "pagestream.registry.url";

    private KafkaBrokerProcess broker;
    private ApicurioRegistry registry;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("pagestream-service-test-");
            broker = KafkaBrokerProcess.start(dir.resolve("kafka"), 0, 0);
            registry = ApicurioRegistry.start(dir.resolve("registry"));
            TopicAdmin.createMissing(broker.bootstrapServers(), Topics.newTopics((short) 1));
            return Map.of(BOOTSTRAP, broker.bootstrapServers(), REGISTRY, registry.url());
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
