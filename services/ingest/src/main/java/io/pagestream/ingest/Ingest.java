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
import io.pagestream.ingest.quota.InFlightDocuments;
import io.pagestream.ingest.quota.TenantQuota;
import io.pagestream.ingest.render.isolated.ChildCommand;
import io.pagestream.ingest.render.isolated.RenderPool;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.shell.ClientSettings;
import io.pagestream.shell.ServicePart;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.TraceHeaders;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

/** The service's parts, built from the configuration when the shell starts it and closed when it stops. */
@Singleton
public class Ingest implements ServicePart {
    private static final System.Logger LOG = System.getLogger(Ingest.class.getName());

    @Inject
    IngestConfig config;

    @Inject
    ClientSettings clients;

    @Inject
    SchemaRegistryClient registry;

    @Inject
    MeterRegistry meters;

    @Inject
    OpenTelemetry openTelemetry;

    private KafkaSettings kafka;
    private DocumentPublisher publisher;
    private StatusPublisher status;
    private AcceptedDocuments accepted;
    private RenderPool renders;
    private IngestService service;
    private Supervisor health;

    @Override
    public void start() throws IOException {
        Path work = Path.of(config.workDirectory());
        Files.createDirectories(work);
        try (Stream<Path> leftovers = Files.list(work)) {
            leftovers.filter(p -> p.getFileName().toString().endsWith(".spool")).forEach(p -> p.toFile()
                    .delete());
        }
        kafka = new KafkaSettings(clients.kafka(), config.publishTimeout());
        TraceHeaders traces = TraceHeaders.of(openTelemetry);
        publisher = new DocumentPublisher(
                kafka,
                registry,
                clients.autoRegister(),
                ServicePrincipal.INGEST_TRANSACTIONAL_ID_PREFIX + config.instanceId(),
                config.maxInFlight(),
                traces);
        RestartPolicy restarts = IngestHealth.policy(config.health());
        status = new StatusPublisher(kafka, registry, clients.autoRegister(), traces, restarts);
        TenantQuota quota =
                new TenantQuota(config.tenants().maxInFlight(), new InFlightDocuments(config.idempotencyCapacity()));
        accepted = new AcceptedDocuments(kafka, registry, config.idempotencyCapacity(), restarts, quota).start();
        renders = new RenderPool(
                        ChildCommand.renderer(
                                config.render().maxHeap(),
                                config.render().jvmOptions().orElse(List.of()),
                                config.jpegQuality()),
                        work.resolveSibling(work.getFileName() + "-render"),
                        renderSettings(config))
                .start();
        health = IngestHealth.supervise(config.health(), accepted, publisher, status, renders);
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
                renders,
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
                traces,
                config.idSecret(),
                quota);
        LOG.log(
                System.Logger.Level.INFO,
                String.format(
                        "ingest ready: instance %s, %d slots (render processes of %s heap), limits %s, default mode %s, "
                                + "auth %s",
                        config.instanceId(),
                        config.maxInFlight(),
                        config.render().maxHeap(),
                        limits,
                        config.defaultMode(),
                        config.auth().enabled() ? "on" : "off"));
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {health, accepted, status, publisher, renders}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> String.format("closing %s", c), e);
                }
            }
        }
    }

    /** The render pool's settings: one slot per {@code max-in-flight}, a client's share all but one by default. */
    static RenderPool.Settings renderSettings(IngestConfig config) {
        IngestConfig.Render render = config.render();
        int slots = config.maxInFlight();
        return new RenderPool.Settings(
                slots,
                render.slotsPerClient().orElse(Math.max(1, slots - 1)),
                render.pageTimeout(),
                render.documentTimeout(),
                render.documentsPerProcess(),
                render.startTimeout(),
                render.logLines(),
                render.logInterval());
    }

    public IngestService service() {
        return service;
    }

    public AcceptedDocuments accepted() {
        return accepted;
    }

    /** The settings every Kafka client of ingest is made from. */
    public KafkaSettings kafka() {
        return kafka;
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
