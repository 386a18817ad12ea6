package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Workers and assemblers spread over nodes and zones: a topology spread constraint per key, selecting the workload's
 * own pods, with the documented choice of whenUnsatisfiable (k8s/README.md): the assembler never piles up on a node
 * (DoNotSchedule), the worker never leaves a GPU idle for the sake of spreading (ScheduleAnyway); zones are best
 * effort for both.
 */
class SchedulingTest {
    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final Map<String, Map<String, String>> EXPECTED = Map.of(
            "pagestream-worker", Map.of(HOST, "ScheduleAnyway", ZONE, "ScheduleAnyway"),
            "pagestream-assembler", Map.of(HOST, "DoNotSchedule", ZONE, "ScheduleAnyway"));

    @Test
    void workersAndAssemblersSpreadOverNodesAndZones() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), problems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void aMissingOrForeignSpreadIsReported() {
        String assembler = Repo.read(Repo.K8S.resolve("base/assembler.yaml"));
        String unspread = assembler.replace("topologyKey: kubernetes.io/hostname", "topologyKey: kubernetes.io/os");
        assertEquals(
                List.of("StatefulSet pagestream-assembler: no spread over kubernetes.io/hostname"
                        + " (whenUnsatisfiable DoNotSchedule) of its own pods"),
                problems(withOnly("pagestream-assembler", unspread)));
        String foreign = assembler.replaceFirst(
                "(?s)(topologyKey: topology.kubernetes.io/zone.*?app.kubernetes.io/name: )pagestream-assembler",
                "$1pagestream-worker");
        assertEquals(
                List.of("StatefulSet pagestream-assembler: no spread over topology.kubernetes.io/zone"
                        + " (whenUnsatisfiable ScheduleAnyway) of its own pods"),
                problems(withOnly("pagestream-assembler", foreign)));
    }

    /** The worker from the rendered base, and the assembler from {@code yaml}. */
    private static List<JsonNode> withOnly(String name, String yaml) {
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base").stream()
                .filter(d -> !d.at("/metadata/name").asText().equals(name))
                .toList());
        docs.addAll(Repo.yamlDocuments(yaml));
        return docs;
    }

    static List<String> problems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        EXPECTED.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            JsonNode set = Manifests.only(docs, "StatefulSet", e.getKey());
            JsonNode podLabels = set.at("/spec/template/metadata/labels");
            e.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(key -> {
                boolean found = false;
                for (JsonNode c : set.at("/spec/template/spec/topologySpreadConstraints")) {
                    found |= c.path("topologyKey").asText().equals(key.getKey())
                            && c.path("whenUnsatisfiable").asText().equals(key.getValue())
                            && c.path("maxSkew").asInt() == 1
                            && selects(c.at("/labelSelector/matchLabels"), podLabels);
                }
                if (!found) {
                    problems.add("StatefulSet " + e.getKey() + ": no spread over " + key.getKey()
                            + " (whenUnsatisfiable " + key.getValue() + ") of its own pods");
                }
            });
        });
        return problems;
    }

    private static boolean selects(JsonNode matchLabels, JsonNode labels) {
        if (matchLabels.isMissingNode() || matchLabels.isEmpty()) {
            return false;
        }
        for (var wanted : matchLabels.properties()) {
            if (!labels.path(wanted.getKey()).asText().equals(wanted.getValue().asText())) {
                return false;
            }
        }
        return true;
    }
}
