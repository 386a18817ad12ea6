package io.pagestream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.ingest.health.IngestHealth;
import io.pagestream.ingest.health.RestartPolicy;
import io.pagestream.ingest.health.Supervisor;
import io.pagestream.ingest.idempotency.AcceptedDocuments;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.ingest.publish.KafkaSettings;
import io.pagestream.ingest.publish.StatusPublisher;
import io.pagestream.ingest.render.PageEncoder;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.topics.TraceHeaders;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The service's parts, built at start-up from the configuration and closed at shutdown. */
@Singleton
public class Ingest {
    private static final System.Logger LOG = System.getLogger(Ingest.class.getName());

    @Inject
    IngestConfig config;

    @ConfigProperty(name = "pagestream.registry.url")
    String registryUrl;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry meters;

    @Inject
    OpenTelemetry openTelemetry;

    private SchemaRegistryClient registry;
    private DocumentPublisher publisher;
    private StatusPublisher status;
    private AcceptedDocuments accepted;
    private IngestService service;
    private Supervisor health;

    void start(@Observes StartupEvent event) throws IOException {
        registerImagePlugins();
        Path work = Path.of(config.workDirectory());
        Files.createDirectories(work);
        try (Stream<Path> leftovers = Files.list(work)) {
            leftovers.filter(p -> p.getFileName().toString().endsWith(".spool")).forEach(p -> p.toFile()
                    .delete());
        }
        Map<String, Object> registryProps = new HashMap<>(config.registry());
        registryProps.put(RegistryConfig.URL, registryUrl);
        registry = new SchemaRegistryClient(RegistryConfig.fromMap(registryProps));
        KafkaSettings settings = new KafkaSettings(kafkaClientProperties(kafka), config.publishTimeout());
        TraceHeaders traces = TraceHeaders.of(openTelemetry);
        publisher = new DocumentPublisher(
                settings,
                registry,
                config.autoRegisterSchemas(),
                "pagestream-ingest-" + config.instanceId(),
                config.maxInFlight(),
                traces);
        RestartPolicy restarts = IngestHealth.policy(config.health());
        status = new StatusPublisher(settings, registry, config.autoRegisterSchemas(), traces, restarts);
        accepted = new AcceptedDocuments(settings, registry, config.idempotencyCapacity(), restarts).start();
        health = IngestHealth.supervise(config.health(), accepted, publisher, status);
        IngestMetrics metrics = new IngestMetrics(meters);
        metrics.inFlight(publisher::busy);
        Limits limits = new Limits(
                config.maxBytes(),
                config.maxPages(),
                config.maxPixelsPerPage(),
                config.maxQuestions(),
                config.maxQuestionLength(),
                config.maxPageSidePoints(),
                config.maxDecodedBytesPerPage());
        service = new IngestService(
                limits,
                new PageEncoder(config.jpegQuality()),
                publisher,
                status,
                accepted,
                metrics,
                work,
                config.queueWait(),
                config.publishTimeout(),
                config.retryAfterSeconds(),
                config.defaultMode(),
                Clock.systemUTC(),
                traces);
        LOG.log(
                System.Logger.Level.INFO,
                String.format(
                        "ingest ready: instance %s, %d slots, limits %s, default mode %s, auth %s",
                        config.instanceId(),
                        config.maxInFlight(),
                        limits,
                        config.defaultMode(),
                        config.auth().enabled() ? "on" : "off"));
    }

    void stop(@Observes ShutdownEvent event) {
        for (AutoCloseable c : new AutoCloseable[] {health, accepted, status, publisher, registry}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> String.format("closing %s", c), e);
                }
            }
        }
    }

    /** The deployment's {@code kafka.*} properties that are Kafka client settings (Quarkus adds a few of its own). */
    static Map<String, Object> kafkaClientProperties(Map<String, Object> all) {
        Map<String, Object> out = new HashMap<>();
        all.forEach((k, v) -> {
            if (!k.startsWith("health") && !k.startsWith("devservices") && !k.startsWith("snappy")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Makes ImageIO see the plugins on this application's class path (PDFBox looks up JBIG2 and JPEG readers there). */
    static void registerImagePlugins() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(Ingest.class.getClassLoader());
        try {
            ImageIO.scanForPlugins();
            ImageIO.setUseCache(false);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    public IngestService service() {
        return service;
    }

    public AcceptedDocuments accepted() {
        return accepted;
    }

    public IngestConfig config() {
        return config;
    }

    public StatusPublisher status() {
        return status;
    }

    public Supervisor health() {
        return health;
    }

    public DocumentPublisher publisher() {
        return publisher;
    }
}
