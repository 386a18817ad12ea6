package io.pagestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** k8s/base/ingest.yaml: authentication on, stable instance ids, probes at the service's health paths. */
class IngestManifestTest {

    @Test
    void authIsOnAndInstanceIdsAreStable() throws Exception {
        List<JsonNode> docs = new YAMLMapper()
                .readerFor(JsonNode.class)
                .<JsonNode>readValues(Path.of("../../k8s/base/ingest.yaml").toFile())
                .readAll();
        JsonNode set = docs.stream()
                .filter(d -> d.path("kind").asText().equals("StatefulSet"))
                .findFirst()
                .orElseThrow();
        JsonNode container = set.at("/spec/template/spec/containers/0");
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertEquals(
                "true", env.get("PAGESTREAM_INGEST_AUTH_ENABLED").path("value").asText());
        assertTrue(env.containsKey("PAGESTREAM_INGEST_AUTH_API_KEYS"));
        assertEquals(
                "metadata.name",
                env.get("PAGESTREAM_INGEST_INSTANCE_ID")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText());
        assertEquals(
                "/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals(
                "/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
    }
}
