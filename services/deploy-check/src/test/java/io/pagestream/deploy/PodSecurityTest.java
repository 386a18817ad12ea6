package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every pod is Pod Security "restricted" with a read-only root, and the overlays' namespace enforces that level. */
class PodSecurityTest {

    @Test
    void everyPodIsRestrictedWithAReadOnlyRoot() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), PodSecurity.problems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void theOverlaysNamespaceEnforcesRestricted() {
        for (String dir : List.of("overlays/dev", "overlays/prod-gpu")) {
            assertEquals(List.of(), namespaceProblems(Kustomize.render(dir)), dir);
        }
        String lax = Repo.read(Repo.K8S.resolve("overlays/dev/namespace.yaml"))
                .replace("enforce: restricted", "enforce: baseline");
        assertEquals(
                List.of("Namespace pagestream must be labelled pod-security.kubernetes.io/enforce: restricted"),
                namespaceProblems(Repo.yamlDocuments(lax)));
    }

    @Test
    void aPodWithoutTheSecurityContextIsReported() {
        String job = Repo.read(Repo.K8S.resolve("base/schemas.yaml"));
        String bare = job.replace(
                "      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n"
                        + "        seccompProfile:\n          type: RuntimeDefault\n",
                "");
        assertEquals(
                List.of(
                        "Job pagestream-schemas containers/schemas: runAsNonRoot must be true",
                        "Job pagestream-schemas containers/schemas: runAsUser must be a numeric non-root user, is ",
                        "Job pagestream-schemas containers/schemas: runAsGroup must be the image's group 10001",
                        "Job pagestream-schemas containers/schemas: seccompProfile must be RuntimeDefault, is unset"),
                PodSecurity.problems(Repo.yamlDocuments(bare)));
        String escalating = job.replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")
                .replace("drop: [\"ALL\"]", "drop: [\"NET_RAW\"]");
        assertEquals(
                List.of(
                        "Job pagestream-schemas containers/schemas: allowPrivilegeEscalation must be false",
                        "Job pagestream-schemas containers/schemas: capabilities must drop ALL and add none"),
                PodSecurity.problems(Repo.yamlDocuments(escalating)));
        String otherUser = job.replace("runAsUser: 10001", "runAsUser: 1000");
        assertEquals(
                List.of("Job pagestream-schemas containers/schemas: runAsUser 1000 is not the image's user 10001"),
                PodSecurity.problems(Repo.yamlDocuments(otherUser)));
    }

    @Test
    void aWritableRootOrAWrittenPathOffVolumesIsReported() {
        String assembler = Repo.read(Repo.K8S.resolve("base/assembler.yaml"));
        String writableRoot = assembler.replaceFirst("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false");
        assertEquals(
                List.of("StatefulSet pagestream-assembler initContainers/schemas: readOnlyRootFilesystem must be true"),
                PodSecurity.problems(Repo.yamlDocuments(writableRoot)));
        String stateOffVolume = assembler.replace("value: /var/lib/pagestream/state", "value: /opt/pagestream/state");
        assertEquals(
                List.of("StatefulSet pagestream-assembler containers/assembler: KAFKA_STREAMS_STATE_DIR="
                        + "/opt/pagestream/state is on no writable volume"),
                PodSecurity.problems(Repo.yamlDocuments(stateOffVolume)));
        String noTmp = Repo.read(Repo.K8S.resolve("base/worker.yaml"))
                .replace("            - name: tmp\n              mountPath: /tmp\n      volumes:", "      volumes:");
        assertEquals(
                List.of("StatefulSet pagestream-worker containers/worker: /tmp (java.io.tmpdir) must be a writable"
                        + " emptyDir"),
                PodSecurity.problems(Repo.yamlDocuments(noTmp)));
    }

    static List<String> namespaceProblems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> namespaces = Manifests.ofKind(docs, "Namespace");
        if (namespaces.size() != 1) {
            return List.of("expected the Namespace pagestream, found " + namespaces.size());
        }
        JsonNode labels = namespaces.getFirst().at("/metadata/labels");
        if (!labels.path("pod-security.kubernetes.io/enforce").asText().equals("restricted")) {
            problems.add("Namespace pagestream must be labelled pod-security.kubernetes.io/enforce: restricted");
        }
        return problems;
    }
}
