package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schemas are registered before any service runs: in k8s the {@code pagestream-schemas} Job runs
 * {@code schemas register} and every service waits in an init container running
 * {@code schemas check --expect-registered}; in compose a one-shot runs it and the services depend on its success.
 * Both name the registry the services use. Compose also keeps the registry's schemas and Kafka's records on disk.
 */
class SchemasJobTest {
    static final String CLI_IMAGE = "ghcr.io/pagestream/cli:" + Repo.VERSION;
    private static final List<String> REGISTER = List.of("schemas", "register", "--registry");
    private static final List<String> WAIT = List.of("schemas", "check", "--expect-registered", "--registry");

    @Test
    void everyOverlayRegistersTheSchemasBeforeTheServices() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), k8sProblems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void aServiceThatDoesNotWaitIsReported() {
        String ingest = Repo.read(Repo.K8S.resolve("base/ingest.yaml")).replace("\"--expect-registered\", ", "");
        List<String> problems = k8sProblems(base("base/ingest.yaml", ingest));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(
                problems.getFirst().startsWith("StatefulSet pagestream-ingest has no init container"),
                problems.toString());
    }

    @Test
    void aJobOnAnotherRegistryOrNoJobIsReported() {
        String job = Repo.read(Repo.K8S.resolve("base/schemas.yaml")).replace("schema-registry:8081", "registry:8081");
        List<String> problems = k8sProblems(base("base/schemas.yaml", job));
        assertTrue(
                problems.getFirst().contains("http://registry:8081/apis/ccompat/v7 is not the schema-registry"),
                problems.toString());

        List<JsonNode> noJob = new ArrayList<>(Kustomize.render("base"));
        noJob.removeIf(d -> d.path("kind").asText().equals("Job"));
        assertEquals(List.of("no Job pagestream-schemas"), k8sProblems(noJob));
    }

    /** The base's files, one of them replaced by {@code text}. */
    private static List<JsonNode> base(String file, String text) {
        List<JsonNode> docs = new ArrayList<>();
        for (String f : List.of(
                "base/registry.yaml",
                "base/schemas.yaml",
                "base/ingest.yaml",
                "base/worker.yaml",
                "base/assembler.yaml")) {
            docs.addAll(Repo.yamlDocuments(f.equals(file) ? text : Repo.read(Repo.K8S.resolve(f))));
        }
        return docs;
    }

    @Test
    void composeRegistersTheSchemasBeforeTheServicesAndKeepsItsState() {
        assertEquals(List.of(), composeProblems(Compose.file()));
    }

    @Test
    void composeWithoutTheOneShotOrPersistenceIsReported() {
        String compose = Repo.read(Repo.DOCKER.resolve("compose.yaml"));
        String unordered = compose.replaceFirst(
                "schemas:\n        condition: service_completed_successfully",
                "registry:\n        condition: service_healthy");
        assertEquals(
                1, composeProblems(Repo.yamlDocuments(unordered).getFirst()).size());
        String ephemeral = compose.replace("APICURIO_STORAGE_KIND: kafkasql", "APICURIO_STORAGE_KIND: mem")
                .replace("KAFKA_LOG_DIRS: /var/lib/kafka/data", "KAFKA_LOG_DIRS: /tmp/kafka-logs");
        assertEquals(
                2, composeProblems(Repo.yamlDocuments(ephemeral).getFirst()).size());
    }

    static List<String> k8sProblems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        JsonNode job = Manifests.ofKind(docs, "Job").stream()
                .filter(j -> j.at("/metadata/name").asText().equals("pagestream-schemas"))
                .findFirst()
                .orElse(null);
        if (job == null) {
            return List.of("no Job pagestream-schemas");
        }
        JsonNode container = job.at("/spec/template/spec/containers/0");
        String url = registryUrl(container, REGISTER);
        if (!container.path("image").asText().equals(CLI_IMAGE) || url == null) {
            problems.add("Job pagestream-schemas must run " + CLI_IMAGE + " " + String.join(" ", REGISTER) + " URL");
        } else {
            problems.addAll(registryServiceProblems(docs, url));
        }
        for (JsonNode set : Manifests.ofKind(docs, "StatefulSet")) {
            String name = set.at("/metadata/name").asText();
            boolean waits = false;
            for (JsonNode init : set.at("/spec/template/spec/initContainers")) {
                waits |= init.path("image").asText().equals(CLI_IMAGE)
                        && url != null
                        && url.equals(registryUrl(init, WAIT));
            }
            if (!waits) {
                problems.add(
                        "StatefulSet " + name + " has no init container running " + String.join(" ", WAIT) + " " + url);
            }
        }
        return problems;
    }

    /** The URL names the registry's Service, on its port, at the Confluent API that the services are given. */
    private static List<String> registryServiceProblems(List<JsonNode> docs, String url) {
        URI uri = URI.create(url);
        List<String> problems = new ArrayList<>();
        JsonNode service = Manifests.ofKind(docs, "Service").stream()
                .filter(s -> s.at("/metadata/name").asText().equals(uri.getHost()))
                .findFirst()
                .orElse(null);
        if (service == null
                || !service.at("/spec/selector/app.kubernetes.io~1name")
                        .asText()
                        .equals("schema-registry")
                || service.at("/spec/ports/0/port").asInt() != uri.getPort()) {
            problems.add("the Job's registry " + url + " is not the schema-registry Service and port");
        }
        for (Service s : Service.ALL) {
            Containers.main(docs, s).ifPresent(c -> {
                if (!c.env().containsValue(url)) {
                    problems.add(c.where() + " is not given the registry the Job registers in, " + url);
                }
            });
        }
        return problems;
    }

    static List<String> composeProblems(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        JsonNode services = compose.path("services");
        JsonNode oneShot = services.path("schemas");
        String url = registryUrl(oneShot, REGISTER);
        if (!oneShot.path("image").asText().equals(CLI_IMAGE) || url == null) {
            problems.add("compose service schemas must run " + CLI_IMAGE + " " + String.join(" ", REGISTER) + " URL");
        }
        for (Service s : Service.ALL) {
            JsonNode service = services.path(s.name());
            if (!service.at("/depends_on/schemas/condition").asText().equals("service_completed_successfully")) {
                problems.add("compose service " + s.name() + " must depend on schemas completing successfully");
            }
            if (url != null && !service.path("environment").toString().contains("\"" + url + "\"")) {
                problems.add("compose service " + s.name() + " is not given the registry " + url);
            }
        }
        if (!services.at("/registry/environment/APICURIO_STORAGE_KIND").asText().equals("kafkasql")) {
            problems.add("the compose registry must keep its schemas in Kafka (APICURIO_STORAGE_KIND: kafkasql)");
        }
        String logDirs = services.at("/kafka/environment/KAFKA_LOG_DIRS").asText();
        boolean onVolume = false;
        for (JsonNode volume : services.at("/kafka/volumes")) {
            onVolume |= volume.asText().equals("kafka-data:" + logDirs);
        }
        if (!onVolume) {
            problems.add("KAFKA_LOG_DIRS (" + logDirs + ") must be the kafka-data volume's mount path");
        }
        return problems;
    }

    /** The registry URL of a container or compose service running {@code command… URL}, else null. */
    private static String registryUrl(JsonNode container, List<String> command) {
        JsonNode args = container.has("args") ? container.path("args") : container.path("command");
        List<String> words = new ArrayList<>();
        args.forEach(a -> words.add(a.asText()));
        if (words.size() != command.size() + 1
                || !words.subList(0, command.size()).equals(command)) {
            return null;
        }
        return words.getLast();
    }
}
