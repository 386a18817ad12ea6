package io.pagestream.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Strimzi manifests in k8s/ declare the same topics, partitions and settings as {@link Topics}. */
class KubernetesTopicsTest {

    @Test
    void manifestsMirrorTheTopicList() throws IOException {
        Path file = Path.of(System.getProperty("pagestream.k8s.topics", "../../k8s/base/kafka-topics.yaml"));
        Map<String, String> declared = new TreeMap<>();
        for (TopicSpec<?> topic : Topics.ALL) {
            declared.put(topic.name(), topic.partitions() + " " + new TreeMap<>(topic.configs()));
        }
        Map<String, String> manifests = new TreeMap<>();
        try (var docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode spec = docs.next().path("spec");
                Map<String, String> config = new HashMap<>();
                spec.path("config")
                        .properties()
                        .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
                assertEquals(
                        "2",
                        config.remove("min.insync.replicas"),
                        spec.path("topicName").asText());
                manifests.put(
                        spec.path("topicName").asText(), spec.path("partitions").asInt() + " " + new TreeMap<>(config));
            }
        }
        assertEquals(declared, manifests);
    }
}
