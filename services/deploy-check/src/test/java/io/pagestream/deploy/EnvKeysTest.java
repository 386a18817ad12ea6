package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every PAGESTREAM_*, KAFKA_* and QUARKUS_* variable given to a service sets a key that service reads. */
class EnvKeysTest {
    private static final List<String> CHECKED_PREFIXES = List.of("PAGESTREAM_", "KAFKA_", "QUARKUS_");

    @Test
    void keysAreDerivedFromTheServices() {
        ConfigKeys worker = ConfigKeys.of(Service.WORKER);
        assertTrue(
                worker.keys()
                        .containsAll(Set.of(
                                "pagestream.worker.model.checkpoint",
                                "pagestream.worker.kafka.group-id",
                                "pagestream.worker.engine.memory-fraction",
                                "quarkus.http.port")),
                worker.keys().toString());
        ConfigKeys assembler = ConfigKeys.of(Service.ASSEMBLER);
        assertTrue(
                assembler
                        .keys()
                        .containsAll(Set.of("kafka-streams.state.dir", "quarkus.kafka-streams.application-server")),
                assembler.keys().toString());
        assertTrue(ConfigKeys.of(Service.INGEST).acceptsEnv("PAGESTREAM_INGEST_AUTH_API_KEYS"));
    }

    @Test
    void everyServiceReadsTheShellsKeysAndNoneTheOldOnes() {
        for (Service service : Service.ALL) {
            ConfigKeys keys = ConfigKeys.of(service);
            assertTrue(
                    keys.keys()
                            .containsAll(Set.of(
                                    "pagestream.kafka.bootstrap-servers",
                                    "pagestream.kafka.config-file",
                                    "pagestream.registry.url",
                                    "pagestream.registry.auto-register")),
                    service.name() + ": " + keys.keys());
            assertTrue(keys.mapPrefixes().contains("pagestream.kafka.properties"), service.name());
            for (String stale : List.of(
                    "KAFKA_BOOTSTRAP_SERVERS",
                    "PAGESTREAM_WORKER_KAFKA_REGISTRY_URL",
                    "PAGESTREAM_WORKER_KAFKA_BOOTSTRAP_SERVERS",
                    "PAGESTREAM_WORKER_KAFKA_AUTO_REGISTER_SCHEMAS",
                    "PAGESTREAM_INGEST_AUTO_REGISTER_SCHEMAS",
                    "PAGESTREAM_INGEST_REGISTRY_BASIC_AUTH_USER_INFO",
                    "PAGESTREAM_REGISTRY_SSL_TRUSTSTORE_LOCATION")) {
                assertFalse(keys.acceptsEnv(stale), service.name() + " still reads " + stale);
            }
        }
    }

    @Test
    void manifestsAndComposeSetOnlyKnownKeys() {
        List<Containers.Found> containers = new ArrayList<>();
        for (String dir : Repo.OVERLAYS) {
            containers.addAll(Containers.ofWorkloads(Kustomize.render(dir)));
        }
        containers.addAll(Containers.ofCompose(Compose.file()));
        assertEquals(List.of(), unknownKeys(containers));
    }

    @Test
    void aMisspeltOrForeignKeyIsReported() {
        String worker = Repo.read(Repo.K8S.resolve("base/worker.yaml"))
                .replace("PAGESTREAM_WORKER_MODEL_CHECKPOINT", "PAGESTREAM_WORKER_MODEL_CHEKPOINT")
                .replace("PAGESTREAM_WORKER_MODEL_PROVIDER", "PAGESTREAM_INGEST_MAX_PAGES")
                .replace("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "QUARKUS_HTTP_PORTT");
        List<String> problems = unknownKeys(Containers.ofWorkloads(Repo.yamlDocuments(worker)));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.getFirst().contains("PAGESTREAM_WORKER_MODEL_CHEKPOINT"), problems.toString());
    }

    @Test
    void aStaleKafkaOrRegistryKeyIsReported() {
        String worker = Repo.read(Repo.K8S.resolve("base/worker.yaml"))
                .replace("PAGESTREAM_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS")
                .replace("PAGESTREAM_REGISTRY_URL", "PAGESTREAM_WORKER_KAFKA_REGISTRY_URL");
        List<String> problems = unknownKeys(Containers.ofWorkloads(Repo.yamlDocuments(worker)));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains(": KAFKA_BOOTSTRAP_SERVERS ")), problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.contains(": PAGESTREAM_WORKER_KAFKA_REGISTRY_URL ")),
                problems.toString());
    }

    static List<String> unknownKeys(List<Containers.Found> containers) {
        List<String> problems = new ArrayList<>();
        for (Containers.Found c : containers) {
            if (!c.isPagestream()) {
                continue;
            }
            ConfigKeys known = ConfigKeys.of(c.service());
            for (String env : c.env().keySet()) {
                if (CHECKED_PREFIXES.stream().anyMatch(env::startsWith) && !known.acceptsEnv(env)) {
                    problems.add(c.where() + ": " + env + " sets no key "
                            + c.service().name() + " reads");
                }
            }
        }
        return problems;
    }
}
