package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rendered overlay ships the Grafana dashboard and turns tracing on towards the collector. */
class ObservabilityTest {

    private static final List<String> SERVICES =
            List.of("pagestream-ingest", "pagestream-worker", "pagestream-assembler");

    @Test
    void theDashboardShipsAsASidecarConfigMap() {
        String dashboard = Repo.read(Repo.K8S.resolve("base/grafana/pagestream-dashboard.json"));
        for (String dir : Repo.OVERLAYS) {
            JsonNode map = Manifests.only(Kustomize.render(dir), "ConfigMap", "pagestream-grafana-dashboard");
            assertEquals("1", map.at("/metadata/labels/grafana_dashboard").asText(), dir);
            assertEquals(dashboard, map.at("/data/pagestream-dashboard.json").asText(), dir);
        }
    }

    @Test
    void everyServiceTracesToTheCollector() {
        for (String dir : Repo.OVERLAYS) {
            List<JsonNode> docs = Kustomize.render(dir);
            for (String service : SERVICES) {
                JsonNode env = Manifests.only(docs, "StatefulSet", service).at("/spec/template/spec/containers/0/env");
                assertEquals("false", value(env, "QUARKUS_OTEL_SDK_DISABLED"), dir + " " + service);
                assertEquals(
                        "http://otel-collector:4317",
                        value(env, "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT"),
                        dir + " " + service);
            }
        }
    }

    private static String value(JsonNode env, String name) {
        for (JsonNode var : env) {
            if (var.path("name").asText().equals(name)) {
                return var.path("value").asText();
            }
        }
        return null;
    }
}
