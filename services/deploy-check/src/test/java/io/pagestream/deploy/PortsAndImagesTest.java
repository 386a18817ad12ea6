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

/**
 * Images follow one naming scheme; ports match each service's quarkus.http.port and management port; probes and
 * scrapes use the management port.
 */
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

    /**
     * Ingest hands each client a status URL that ingest itself serves: in k8s the public host of the Ingress, which
     * routes the URL's path to ingest (IngressTest); in compose ingest's published port, and ingest asks the
     * assembler's service.
     */
    @Test
    void theStatusUrlIngestHandsOutIsIngests() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), IngressTest.problems(Kustomize.render(dir)), dir);
        }
        JsonNode compose = Compose.file();
        JsonNode ingest = compose.at("/services/ingest");
        URI url = URI.create(
                ingest.at("/environment/PAGESTREAM_INGEST_STATUS_URL_PREFIX").asText());
        String published = ingest.at("/ports/0").asText();
        assertEquals(
                url.getPort() + ":" + Service.INGEST.httpPort(),
                published,
                "compose publishes ingest where the URL points");
        assertEquals("/v1/documents/", url.getPath());
        assertEquals(
                "http://assembler:" + Service.ASSEMBLER.httpPort(),
                ingest.at("/environment/PAGESTREAM_INGEST_RESULTS_URL").asText());
    }

    static String env(JsonNode workload, String name) {
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
        // Health on the API port: Quarkus serves it on the management port only.
        String apiProbe = Repo.read(Repo.K8S.resolve("base/ingest.yaml"))
                .replace(
                        "path: /q/health/live\n              port: management",
                        "path: /q/health/live\n              port: http");
        assertEquals(1, portProblems(Repo.yamlDocuments(apiProbe)).size(), apiProbe);
        String monitor =
                Repo.read(Repo.K8S.resolve("base/monitoring.yaml")).replaceFirst("port: management", "port: http");
        assertEquals(1, portProblems(Repo.yamlDocuments(monitor)).size());
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
            int management = service.managementPort();
            if (!hasPort(c.node(), "http", port) || !hasPort(c.node(), "management", management)) {
                problems.add(c.where() + ": the ports must be http " + port + " and management " + management + ", are "
                        + c.node().path("ports"));
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
                boolean portOk = get.path("port").asText().equals("management")
                        || get.path("port").asInt() == management;
                if (!get.path("path").asText().equals(path) || !portOk) {
                    problems.add(c.where() + ": " + probe + " must GET " + path + " on the management port "
                            + management + ", is " + get);
                }
            });
            JsonNode selector = c.workload().at("/spec/selector/matchLabels");
            for (JsonNode svc : Manifests.ofKind(docs, "Service")) {
                if (svc.at("/spec/selector").equals(selector)) {
                    for (JsonNode p : svc.at("/spec/ports")) {
                        String target = p.path("targetPort").asText();
                        boolean ok = p.path("name").asText().equals(target)
                                && (target.equals("http") || target.equals("management"));
                        if (!ok) {
                            problems.add("Service " + svc.at("/metadata/name").asText() + " port " + p);
                        }
                    }
                }
            }
        }
        for (JsonNode monitor : Manifests.ofKind(docs, "ServiceMonitor")) {
            JsonNode endpoint = monitor.at("/spec/endpoints/0");
            if (!endpoint.path("path").asText().equals("/q/metrics")
                    || !endpoint.path("port").asText().equals("management")) {
                problems.add("ServiceMonitor " + monitor.at("/metadata/name").asText()
                        + " must scrape /q/metrics on the management port: " + endpoint);
            }
        }
        return problems;
    }

    private static boolean hasPort(JsonNode container, String name, int number) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name) && p.path("containerPort").asInt() == number) {
                return true;
            }
        }
        return false;
    }
}
