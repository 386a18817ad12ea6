package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.ingest.IngestMetrics;
import io.pagestream.ingest.IngestService;
import io.pagestream.ingest.Outcome;
import io.pagestream.ingest.Submission;
import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.ingest.auth.Tenants;
import io.pagestream.ingest.health.RestartPolicy;
import io.pagestream.ingest.idempotency.AcceptedDocuments;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.ingest.publish.KafkaSettings;
import io.pagestream.ingest.publish.StatusPublisher;
import io.pagestream.ingest.quota.InFlightDocuments;
import io.pagestream.ingest.quota.TenantQuota;
import io.pagestream.ingest.render.isolated.RenderPool;
import io.pagestream.ingest.render.isolated.TestRenderPools;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.pagestream.topics.TraceHeaders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Two ingest instances on one broker — the application under test (instance id {@code test}) and a second
 * {@link IngestService} stack built in this JVM (instance id {@code racer}, its own producers and idempotency table) —
 * receive the same idempotency key at the same moment, several times over: each time exactly one document is
 * published (one request, one set of pages), one instance answers 202 and the other 200 duplicate, both with the id
 * the key maps to.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class TwoInstancesRaceTest {
    private static final TenantQuota NO_QUOTA = new TenantQuota(OptionalInt.empty(), new InFlightDocuments(0));

    private static final int RACES = 6;

    @Test
    void twoInstancesReceivingOneKeyAtOnceCommitOneDocumentAndBothAnswerItsId() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue(PipelineStackResource.BOOTSTRAP, String.class);
        String registryUrl = ConfigProvider.getConfig().getValue(PipelineStackResource.REGISTRY, String.class);
        Path work = Files.createTempDirectory("ingest-racer-");
        KafkaSettings settings =
                new KafkaSettings(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), Duration.ofSeconds(6));
        TraceHeaders traces = TraceHeaders.of(OpenTelemetry.noop());
        try (SchemaRegistryClient registry = RegistryClients.of(registryUrl);
                DocumentPublisher publisher =
                        new DocumentPublisher(settings, registry, true, "pagestream-ingest-racer", 2, traces);
                StatusPublisher status =
                        new StatusPublisher(settings, registry, true, traces, RestartPolicy.defaults());
                AcceptedDocuments accepted =
                        new AcceptedDocuments(settings, registry, 1000, RestartPolicy.defaults(), NO_QUOTA).start();
                RenderPool renders =
                        TestRenderPools.of(work.resolve("render"), 2).start()) {
            IngestService racer = new IngestService(
                    Limits.defaults(),
                    renders,
                    publisher,
                    status,
                    accepted,
                    new IngestMetrics(new SimpleMeterRegistry()),
                    work,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(6),
                    2,
                    OcrMode.MARKDOWN,
                    Clock.systemUTC(),
                    traces,
                    Optional.empty(),
                    NO_QUOTA);
            Wait.upTo(Duration.ofSeconds(60))
                    .alias("the racer's table caught up")
                    .until(accepted::caughtUp);

            for (int race = 0; race < RACES; race++) {
                race(racer, work, "race-" + race + "-" + System.nanoTime(), TestFiles.png(200 + race, 150));
            }
        }
    }

    private static void race(IngestService racer, Path work, String key, byte[] png) throws Exception {
        Path file = Files.write(work.resolve(key + ".png"), png);
        CyclicBarrier start = new CyclicBarrier(2);
        Response rest;
        Outcome other;
        // Two threads of its own: the common pool may have one on a small machine, and both must wait at the barrier.
        try (ExecutorService clients = Executors.newFixedThreadPool(2)) {
            Future<Response> viaRest = clients.submit(() -> {
                await(start);
                return Submit.file("race.png", png).key(key).post();
            });
            Future<Outcome> viaRacer = clients.submit(() -> {
                await(start);
                return racer.submit(
                        new Submission(
                                Tenants.DEFAULT,
                                file,
                                png.length,
                                "race.png",
                                List.of(),
                                List.of(),
                                key,
                                null,
                                null,
                                null,
                                null,
                                null),
                        "racer");
            });
            rest = viaRest.get(60, TimeUnit.SECONDS);
            other = viaRacer.get(60, TimeUnit.SECONDS);
        }

        String id = DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, key, Optional.empty());
        assertEquals(id, rest.jsonPath().getString("documentId"), rest.asString());
        assertEquals(id, other.documentId(), other.toString());
        boolean restWon = rest.statusCode() == 202;
        assertTrue(
                restWon && other instanceof Outcome.Duplicate
                        || rest.statusCode() == 200
                                && rest.jsonPath().getBoolean("duplicate")
                                && other instanceof Outcome.Accepted,
                "one 202 and one 200 duplicate: REST " + rest.statusCode() + " " + rest.asString() + ", racer "
                        + other);

        TopicRecorder topics = TopicRecorder.get();
        topics.await(id, PageImage.class, l -> !l.isEmpty());
        // A second copy would be committed about when the first was: give it time to show.
        Wait.atMost(
                Duration.ofSeconds(3),
                () -> topics.records(id, DocumentRequest.class).size() > 1);
        assertEquals(1, topics.records(id, DocumentRequest.class).size(), "one request for " + key);
        assertEquals(1, topics.records(id, PageImage.class).size(), "one set of pages for " + key);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
