package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every manifest, as written and as rendered, is a typed Kubernetes object with no field its model lacks. */
class ManifestModelsTest {

    @Test
    void everyFileUnderK8sParsesStrictly() {
        List<Path> files = Repo.k8sYamlFiles();
        assertTrue(files.size() >= 14, "k8s/ files found: " + files);
        for (Path file : files) {
            for (JsonNode doc : Repo.yamlDocuments(file)) {
                assertParses(file.toString(), doc);
            }
        }
    }

    @Test
    void everyRenderedOverlayParsesStrictly() {
        for (String dir : Repo.OVERLAYS) {
            List<JsonNode> docs = Kustomize.render(dir);
            Set<String> kinds = docs.stream().map(d -> d.path("kind").asText()).collect(Collectors.toSet());
            Set<String> expected = new java.util.HashSet<>(Set.of(
                    "ConfigMap",
                    "Service",
                    "PersistentVolumeClaim",
                    "Deployment",
                    "StatefulSet",
                    "Job",
                    "PodDisruptionBudget",
                    "NetworkPolicy",
                    "ServiceMonitor",
                    "Kafka",
                    "KafkaNodePool",
                    "KafkaTopic",
                    "KafkaUser",
                    "ScaledObject",
                    "Ingress"));
            if (!dir.equals("base")) {
                expected.add("Namespace");
            }
            assertEquals(expected, kinds, dir);
            docs.forEach(doc -> assertParses(dir, doc));
        }
    }

    @Test
    void anUnknownFieldIsRefused() {
        JsonNode set = Manifests.only(Kustomize.render("base"), "StatefulSet", "pagestream-worker");
        assertTrue(StrictModels.parse(set) instanceof StatefulSet);
        String misspelt = Repo.read(Repo.K8S.resolve("base/worker.yaml")).replace("readinessProbe:", "readynessProbe:");
        JsonNode broken = Manifests.only(Repo.yamlDocuments(misspelt), "StatefulSet", "pagestream-worker");
        var error = assertThrows(IllegalArgumentException.class, () -> StrictModels.parse(broken));
        assertTrue(error.getMessage().contains("readynessProbe"), error.getMessage());
    }

    @Test
    void unknownFieldsInCustomResourcesAreRefused() {
        String topic =
                """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t}
                spec: {topicName: t, partitions: 1, replica: 1}
                """;
        assertThrows(
                IllegalArgumentException.class,
                () -> StrictModels.parse(Repo.yamlDocuments(topic).getFirst()));
        String scaled = Repo.read(Repo.K8S.resolve("base/worker-autoscaling.yaml"))
                .replace("lagThreshold: \"16\"", "lagTreshold: \"16\"");
        assertThrows(
                IllegalArgumentException.class,
                () -> StrictModels.parse(Repo.yamlDocuments(scaled).getFirst()));
        String scaledSpec = Repo.read(Repo.K8S.resolve("base/worker-autoscaling.yaml"))
                .replace("cooldownPeriod:", "coolDownPeriod:");
        assertThrows(
                IllegalArgumentException.class,
                () -> StrictModels.parse(Repo.yamlDocuments(scaledSpec).getFirst()));
    }

    @Test
    void anUnmodelledKindIsRefused() {
        String ingressClass = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: x}\n";
        assertThrows(
                IllegalArgumentException.class,
                () -> StrictModels.parse(Repo.yamlDocuments(ingressClass).getFirst()));
    }

    private static void assertParses(String where, JsonNode doc) {
        try {
            StrictModels.parse(doc);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(where + ": " + e.getMessage(), e);
        }
        assertFalse(doc.path("kind").asText().isEmpty(), where);
    }
}
