package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagestream.topics.TopicSpec;
import io.pagestream.topics.Topics;
import io.pagestream.worker.WorkerConfig;
import io.smallrye.config.WithDefault;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Topics in k8s and compose are Topics.ALL; the worker autoscaler watches the worker's own group and topic. */
class TopicsTest {
    private static final Pattern CREATE = Pattern.compile("--topic (\\S+) --partitions (\\d+)((?: --config \\S+)*)");

    @Test
    void kafkaTopicsMirrorTheTopicList() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), topicProblems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void composeCreatesTheTopicList() {
        String script = Compose.file().at("/services/topics/command/0").asText();
        Map<String, String> created = new TreeMap<>();
        Matcher m = CREATE.matcher(script);
        while (m.find()) {
            Map<String, String> config = new TreeMap<>();
            for (String c : m.group(3).trim().split(" ?--config ")) {
                if (!c.isBlank()) {
                    config.put(c.substring(0, c.indexOf('=')), c.substring(c.indexOf('=') + 1));
                }
            }
            created.put(m.group(1), m.group(2) + " " + config);
        }
        assertEquals(declared(), created);
    }

    @Test
    void aWrongPartitionCountIsReported() {
        String topics =
                Repo.read(Repo.K8S.resolve("base/kafka-topics.yaml")).replace("partitions: 12", "partitions: 6");
        List<JsonNode> docs = new ArrayList<>(Repo.yamlDocuments(topics));
        docs.addAll(Manifests.ofKind(Kustomize.render("base"), "KafkaNodePool"));
        assertFalse(topicProblems(docs).isEmpty());
    }

    @Test
    void theAutoscalerWatchesTheWorkersGroupAndTopic() throws Exception {
        String group = WorkerConfig.Kafka.class
                .getMethod("groupId")
                .getAnnotation(WithDefault.class)
                .value();
        for (String dir : Repo.OVERLAYS) {
            List<JsonNode> docs = Kustomize.render(dir);
            ScaledObject scaled =
                    StrictModels.parse(Manifests.only(docs, "ScaledObject", "pagestream-worker"), ScaledObject.class);
            Map<String, String> trigger = scaled.spec().triggers().getFirst().metadata();
            assertEquals(group, trigger.get("consumerGroup"), dir);
            assertEquals(Topics.DOCUMENTS_PAGES.name(), trigger.get("topic"), dir);
            assertEquals("pagestream-kafka-bootstrap:9092", trigger.get("bootstrapServers"), dir);
            assertEquals(
                    new ScaledObject.ScaleTarget("apps/v1", "StatefulSet", "pagestream-worker"),
                    scaled.spec().scaleTargetRef(),
                    dir);
            int max = scaled.spec().maxReplicaCount();
            assertTrue(max >= scaled.spec().minReplicaCount(), dir);
            assertTrue(max <= Topics.DOCUMENTS_PAGES.partitions(), dir + ": more workers than page partitions");
        }
    }

    static Map<String, String> declared() {
        Map<String, String> declared = new TreeMap<>();
        for (TopicSpec<?> topic : Topics.ALL) {
            declared.put(topic.name(), topic.partitions() + " " + new TreeMap<>(topic.configs()));
        }
        return declared;
    }

    /** Names, partitions and configs equal Topics.ALL; replicas fit the brokers and leave one to lose where possible. */
    static List<String> topicProblems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        int brokers = Manifests.ofKind(docs, "KafkaNodePool").stream()
                .map(d -> StrictModels.parse(d, KafkaNodePool.class))
                .filter(p -> p.getSpec().getRoles().toString().contains("BROKER"))
                .mapToInt(p -> p.getSpec().getReplicas())
                .sum();
        Map<String, String> manifests = new TreeMap<>();
        for (JsonNode doc : Manifests.ofKind(docs, "KafkaTopic")) {
            KafkaTopic topic = StrictModels.parse(doc, KafkaTopic.class);
            Map<String, String> config = new HashMap<>();
            topic.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            int minIsr = Integer.parseInt(config.remove("min.insync.replicas"));
            int replicas = topic.getSpec().getReplicas();
            if (replicas > brokers || (brokers > 1 && minIsr >= replicas) || minIsr > replicas) {
                problems.add(topic.getSpec().getTopicName() + ": replicas " + replicas + ", min.insync.replicas "
                        + minIsr + " on " + brokers + " brokers");
            }
            manifests.put(
                    topic.getSpec().getTopicName(), topic.getSpec().getPartitions() + " " + new TreeMap<>(config));
        }
        if (!manifests.equals(declared())) {
            problems.add("KafkaTopics " + manifests + " differ from Topics.ALL " + declared());
        }
        return problems;
    }
}
