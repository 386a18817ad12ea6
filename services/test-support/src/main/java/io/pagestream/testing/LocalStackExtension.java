package io.pagestream.testing;

import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.KafkaBroker;
import io.pagestream.stack.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class a real Kafka broker (in this JVM) and, when asked, a real Apicurio registry
 * (child process). Both are started once per test JVM and shared by every class that registers the extension; they
 * stop when the test run ends. Register it as a static field of an {@link IntegrationTest} class (it refuses to start
 * for an untagged one, which the fast tier would otherwise run):
 *
 * <pre>{@code @RegisterExtension static final LocalStackExtension STACK = LocalStackExtension.kafkaAndRegistry();}</pre>
 */
public final class LocalStackExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalStackExtension.class);

    private final boolean withKafka;
    private final boolean withRegistry;
    private final List<NewTopic> topics;
    private KafkaBroker broker;
    private ApicurioRegistry registry;

    private LocalStackExtension(boolean withKafka, boolean withRegistry, List<NewTopic> topics) {
        this.withKafka = withKafka;
        this.withRegistry = withRegistry;
        this.topics = topics;
    }

    public static LocalStackExtension kafka() {
        return new LocalStackExtension(true, false, List.of());
    }

    public static LocalStackExtension kafkaAndRegistry() {
        return new LocalStackExtension(true, true, List.of());
    }

    public static LocalStackExtension registryOnly() {
        return new LocalStackExtension(false, true, List.of());
    }

    /** Topics created (if missing) before the class's tests run. */
    public LocalStackExtension withTopics(Collection<NewTopic> more) {
        if (!withKafka) {
            throw new IllegalStateException("topics need a broker: use kafka() or kafkaAndRegistry()");
        }
        List<NewTopic> all = new ArrayList<>(topics);
        all.addAll(more);
        return new LocalStackExtension(true, withRegistry, List.copyOf(all));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!context.getTags().contains(IntegrationTest.TAG)) {
            throw new IllegalStateException(context.getDisplayName() + " starts the local stack: annotate it with @"
                    + IntegrationTest.class.getSimpleName() + " so that the fast tier leaves it out");
        }
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        if (withKafka) {
            broker = store.computeIfAbsent(KafkaBroker.class, k -> startBroker(), KafkaBroker.class);
            TopicAdmin.createMissing(broker.bootstrapServers(), topics);
        }
        if (withRegistry) {
            registry = store.computeIfAbsent(ApicurioRegistry.class, k -> startRegistry(), ApicurioRegistry.class);
        }
    }

    public String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("no Kafka broker: use LocalStackExtension.kafka() or kafkaAndRegistry()");
        }
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        if (registry == null) {
            throw new IllegalStateException("no registry: use LocalStackExtension.kafkaAndRegistry()");
        }
        return registry.url();
    }

    private static KafkaBroker startBroker() {
        try {
            return KafkaBroker.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApicurioRegistry startRegistry() {
        try {
            Path dir = Files.createTempDirectory("pagestream-registry-");
            return ApicurioRegistry.start(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
