package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NetworkPolicies allow every connection the services need, and keep closed what nobody needs. */
class NetworkPoliciesTest {
    private static final Map<String, String> OUR_NAMESPACE = Map.of("kubernetes.io/metadata.name", "pagestream");
    private static final NetworkPolicies.Pod KAFKA = new NetworkPolicies.Pod(
            "kafka", true, OUR_NAMESPACE, Map.of("strimzi.io/cluster", "pagestream", "strimzi.io/kind", "Kafka"));
    private static final NetworkPolicies.Pod OUTSIDE = new NetworkPolicies.Pod(
            "ingress controller", false, Map.of("kubernetes.io/metadata.name", "ingress-nginx"), Map.of());
    private static final NetworkPolicies.Pod PROMETHEUS =
            new NetworkPolicies.Pod("prometheus", false, Map.of("kubernetes.io/metadata.name", "monitoring"), Map.of());
    private static final NetworkPolicies.Pod DNS = new NetworkPolicies.Pod(
            "kube-dns", false, Map.of("kubernetes.io/metadata.name", "kube-system"), Map.of("k8s-app", "kube-dns"));

    @Test
    void everyNeededConnectionIsAllowedAndNoOther() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), problems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void aMissingRuleIsReported() {
        String policies = Repo.read(Repo.K8S.resolve("base/network-policies.yaml"))
                .replace(
                        "app.kubernetes.io/name: schema-registry\n      ports:",
                        "app.kubernetes.io/name: registry\n      ports:");
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base").stream()
                .filter(d -> !d.path("kind").asText().equals("NetworkPolicy"))
                .toList());
        docs.addAll(Repo.yamlDocuments(policies));
        assertFalse(problems(docs).isEmpty());
    }

    @Test
    void aPolicyLettingClientsReachTheManagementPortIsReported() {
        String policies = Repo.read(Repo.K8S.resolve("base/network-policies.yaml"))
                .replace(
                        "    - ports:\n        - protocol: TCP\n          port: 8080\n",
                        "    - ports:\n        - protocol: TCP\n          port: 8080\n        - protocol: TCP\n          port: 9000\n");
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base").stream()
                .filter(d -> !d.path("kind").asText().equals("NetworkPolicy"))
                .toList());
        docs.addAll(Repo.yamlDocuments(policies));
        assertEquals(
                List.of(
                        "ingress controller -> pagestream-ingest:9000 is allowed",
                        "kafka -> pagestream-ingest:9000 is allowed"),
                problems(docs));
    }

    @Test
    void anAssemblerApiOpenToClientsIsReported() {
        String policies = Repo.read(Repo.K8S.resolve("base/network-policies.yaml"))
                .replace(
                        "  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n"
                                + "              app.kubernetes.io/name: pagestream-ingest\n",
                        "  ingress:\n    - from:\n        - namespaceSelector: {}\n        - podSelector:\n"
                                + "            matchLabels:\n              app.kubernetes.io/name: pagestream-ingest\n");
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base").stream()
                .filter(d -> !d.path("kind").asText().equals("NetworkPolicy"))
                .toList());
        docs.addAll(Repo.yamlDocuments(policies));
        assertEquals(
                List.of(
                        "ingress controller -> pagestream-assembler:8082 is allowed",
                        "kafka -> pagestream-assembler:8082 is allowed"),
                problems(docs));
    }

    static List<String> problems(List<JsonNode> docs) {
        NetworkPolicies policies = new NetworkPolicies(Manifests.ofKind(docs, "NetworkPolicy").stream()
                .map(d -> StrictModels.parse(d, NetworkPolicy.class))
                .toList());
        NetworkPolicies.Pod ingest = pod(docs, "StatefulSet", "pagestream-ingest");
        NetworkPolicies.Pod worker = pod(docs, "StatefulSet", "pagestream-worker");
        NetworkPolicies.Pod assembler = pod(docs, "StatefulSet", "pagestream-assembler");
        NetworkPolicies.Pod registry = pod(docs, "Deployment", "schema-registry");
        int registryPort = 8080;
        List<String> problems = new ArrayList<>();
        for (NetworkPolicies.Pod service : List.of(ingest, worker, assembler)) {
            need(policies, problems, service, KAFKA, 9093, true);
            // The plain listener is the registry's alone (and KEDA's, outside this namespace).
            need(policies, problems, service, KAFKA, 9092, false);
            need(policies, problems, service, registry, registryPort, true);
            need(policies, problems, service, DNS, 53, true);
        }
        need(policies, problems, registry, KAFKA, 9092, true);
        need(policies, problems, OUTSIDE, ingest, Service.INGEST.httpPort(), true);
        // Status reads go through ingest, behind its authentication: only ingest asks the assembler.
        need(policies, problems, ingest, assembler, Service.ASSEMBLER.httpPort(), true);
        need(policies, problems, OUTSIDE, assembler, Service.ASSEMBLER.httpPort(), false);
        need(policies, problems, KAFKA, assembler, Service.ASSEMBLER.httpPort(), false);
        need(policies, problems, worker, assembler, Service.ASSEMBLER.httpPort(), false);
        need(policies, problems, assembler, assembler, Service.ASSEMBLER.httpPort(), true);
        for (var service : List.of(
                java.util.Map.entry(ingest, Service.INGEST),
                java.util.Map.entry(worker, Service.WORKER),
                java.util.Map.entry(assembler, Service.ASSEMBLER))) {
            int management = service.getValue().managementPort();
            need(policies, problems, PROMETHEUS, service.getKey(), management, true);
            // Health, metrics and OpenAPI are not the clients' business.
            need(policies, problems, OUTSIDE, service.getKey(), management, false);
            need(policies, problems, KAFKA, service.getKey(), management, false);
        }
        need(policies, problems, ingest, assembler, Service.ASSEMBLER.managementPort(), false);
        need(policies, problems, OUTSIDE, worker, Service.WORKER.httpPort(), false);
        need(policies, problems, OUTSIDE, registry, registryPort, false);
        need(policies, problems, ingest, worker, Service.WORKER.httpPort(), false);
        need(policies, problems, worker, OUTSIDE, 443, false);
        return problems;
    }

    private static void need(
            NetworkPolicies policies,
            List<String> problems,
            NetworkPolicies.Pod from,
            NetworkPolicies.Pod to,
            int port,
            boolean allowed) {
        if (policies.allows(from, to, port) != allowed) {
            problems.add(from.name() + " -> " + to.name() + ":" + port + (allowed ? " is denied" : " is allowed"));
        }
    }

    @SuppressWarnings("unchecked")
    private static NetworkPolicies.Pod pod(List<JsonNode> docs, String kind, String name) {
        JsonNode labels = Manifests.only(docs, kind, name).at("/spec/template/metadata/labels");
        return new NetworkPolicies.Pod(name, true, OUR_NAMESPACE, new ObjectMapper().convertValue(labels, Map.class));
    }
}
