package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Images follow one naming scheme; ports and probes match each service's quarkus.http.port and health paths. */
class PortsAndImagesTest {

    @Test
    void everyImageIsAPagestreamImageOrThePinnedRegistry() {
        List<String> problems = new ArrayList<>();
        List<Containers.Found> all = new ArrayList<>(Containers.ofCompose(Compose.file()));
        Repo.OVERLAYS.forEach(d -> all.addAll(Containers.ofWorkloads(Kustomize.render(d))));
        for (Containers.Found c : all) {
            String image = c.image();
            boolean ours = Service.ALL.stream().anyMatch(s -> s.image().equals(image));
            boolean known = ours
                    || image.equals(SchemasJobTest.CLI_IMAGE)
                    || image.equals("apicurio/apicurio-registry:" + Repo.APICURIO_VERSION)
                    || (c.where().startsWith("compose") && image.startsWith("apache/kafka:"));
            if (!known) {
                problems.add(c.where() + ": image " + image);
            }
        }
        Containers.ofCompose(Compose.file()).stream()
                .filter(c -> c.node().has("build"))
                .forEach(c -> {
                    String dockerfile = c.node().at("/build/dockerfile").asText();
                    String module = c.isPagestream() ? c.service().name() : "cli";
                    if (!dockerfile.equals("docker/" + module + ".Dockerfile")) {
                        problems.add(c.where() + " builds " + c.image() + " from " + dockerfile);
                    }
                });
        Service.ALL.forEach(s -> {
            if (!Repo.read(s.dockerfile()).contains("-t " + s.image() + " .")) {
                problems.add(s.dockerfile() + " does not document its tag " + s.image());
            }
        });
        if (!Repo.read(Repo.DOCKER.resolve("cli.Dockerfile")).contains("-t " + SchemasJobTest.CLI_IMAGE + " .")) {
            problems.add("cli.Dockerfile does not document its tag " + SchemasJobTest.CLI_IMAGE);
        }
        assertEquals(List.of(), problems);
    }

    /** Ingest hands each client a status URL; it must name the assembler's Service, port and query path. */
    @Test
    void theStatusUrlIngestHandsOutIsTheAssemblers() {
        for (String dir : Repo.OVERLAYS) {
            List<JsonNode> docs = Kustomize.render(dir);
            URI url = URI.create(env(
                    Manifests.only(docs, "StatefulSet", "pagestream-ingest"), "PAGESTREAM_INGEST_STATUS_URL_PREFIX"));
            JsonNode service = Manifests.only(docs, "Service", url.getHost());
            assertEquals(
                    "pagestream-assembler",
                    service.at("/spec/selector/app.kubernetes.io~1name").asText(),
                    dir);
            assertEquals(url.getPort(), service.at("/spec/ports/0/port").asInt(), dir);
            assertEquals("/v1/documents/", url.getPath(), dir);
        }
        JsonNode compose = Compose.file();
        URI url = URI.create(compose.at("/services/ingest/environment/PAGESTREAM_INGEST_STATUS_URL_PREFIX")
                .asText());
        String published = compose.at("/services/assembler/ports/0").asText();
        assertEquals(url.getPort() + ":8082", published, "compose publishes the assembler where the URL points");
        assertEquals("/v1/documents/", url.getPath());
    }

    private static String env(JsonNode workload, String name) {
        for (JsonNode var : workload.at("/spec/template/spec/containers/0/env")) {
            if (var.path("name").asText().equals(name)) {
                return var.path("value").asText();
            }
        }
        throw new AssertionError(workload.at("/metadata/name").asText() + " does not set " + name);
    }

    @Test
    void portsAndProbesMatchTheServices() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), portProblems(Kustomize.render(dir)), dir);
        }
        List<String> compose = new ArrayList<>();
        for (Containers.Found c : Containers.ofCompose(Compose.file())) {
            if (c.isPagestream() && c.node().has("ports")) {
                String mapping = c.node().path("ports").get(0).asText();
                if (!mapping.endsWith(":" + c.service().httpPort())) {
                    compose.add(c.where() + " publishes " + mapping);
                }
            }
        }
        assertEquals(List.of(), compose);
    }

    @Test
    void aWrongPortIsReported() {
        String worker =
                Repo.read(Repo.K8S.resolve("base/worker.yaml")).replace("containerPort: 8082", "containerPort: 8080");
        List<String> problems = portProblems(Repo.yamlDocuments(worker));
        assertFalse(problems.isEmpty());
        String probe = Repo.read(Repo.K8S.resolve("base/assembler.yaml")).replace("/q/health/ready", "/health/ready");
        assertFalse(portProblems(Repo.yamlDocuments(probe)).isEmpty());
    }

    static List<String> portProblems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        for (Service service : Service.ALL) {
            Optional<Containers.Found> main = Containers.main(docs, service);
            if (main.isEmpty()) {
                continue;
            }
            Containers.Found c = main.get();
            int port = service.httpPort();
            JsonNode http = c.node().path("ports").get(0);
            if (http == null
                    || !http.path("name").asText().equals("http")
                    || http.path("containerPort").asInt() != port) {
                problems.add(c.where() + ": the http port must be " + port + ", is " + http);
            }
            Map<String, String> probes = Map.of(
                    "startupProbe",
                    "/q/health/started",
                    "readinessProbe",
                    "/q/health/ready",
                    "livenessProbe",
                    "/q/health/live");
            probes.forEach((probe, path) -> {
                JsonNode get = c.node().path(probe).path("httpGet");
                boolean portOk = get.path("port").asText().equals("http")
                        || get.path("port").asInt() == port;
                if (!get.path("path").asText().equals(path) || !portOk) {
                    problems.add(c.where() + ": " + probe + " must GET " + path + " on " + port + ", is " + get);
                }
            });
            JsonNode selector = c.workload().at("/spec/selector/matchLabels");
            for (JsonNode svc : Manifests.ofKind(docs, "Service")) {
                if (svc.at("/spec/selector").equals(selector)) {
                    JsonNode target = svc.at("/spec/ports/0/targetPort");
                    if (!target.asText().equals("http") && target.asInt() != port) {
                        problems.add("Service " + svc.at("/metadata/name").asText() + " targets " + target);
                    }
                }
            }
        }
        for (JsonNode monitor : Manifests.ofKind(docs, "ServiceMonitor")) {
            JsonNode endpoint = monitor.at("/spec/endpoints/0");
            if (!endpoint.path("path").asText().equals("/q/metrics")
                    || !endpoint.path("port").asText().equals("http")) {
                problems.add("ServiceMonitor " + monitor.at("/metadata/name").asText() + ": " + endpoint);
            }
        }
        return problems;
    }
}
