package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No credential ships with the manifests: no overlay renders a Secret (the operator creates them, docs/deploying.md),
 * and every credential a container is given comes from a Secret reference, never a literal value.
 */
class SecretsTest {
    /** Variables that carry a credential, by name. */
    private static final Pattern CREDENTIAL = Pattern.compile(".*(API_KEYS|SECRET|PASSWORD|PASSWD|TOKEN|JAAS).*");

    @Test
    void noOverlayShipsACredential() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), problems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void aDefaultSecretOrALiteralKeyIsReported() {
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base"));
        docs.addAll(
                Repo.yamlDocuments(
                        """
                apiVersion: v1
                kind: Secret
                metadata: {name: pagestream-ingest-secrets}
                stringData: {api-keys: "change-me-1,change-me-2"}
                """));
        assertEquals(
                List.of("Secret pagestream-ingest-secrets ships with the manifests: the operator creates it"),
                problems(docs));
        String literal = Repo.read(Repo.K8S.resolve("base/ingest.yaml"))
                .replace(
                        "- name: PAGESTREAM_INGEST_AUTH_API_KEYS\n              valueFrom:\n"
                                + "                secretKeyRef:\n                  name: pagestream-ingest-secrets\n"
                                + "                  key: api-keys\n",
                        "- name: PAGESTREAM_INGEST_AUTH_API_KEYS\n              value: change-me\n");
        assertEquals(
                List.of("StatefulSet pagestream-ingest containers/ingest: PAGESTREAM_INGEST_AUTH_API_KEYS must come"
                        + " from a secretKeyRef"),
                problems(Repo.yamlDocuments(literal)));
    }

    static List<String> problems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        for (JsonNode secret : Manifests.ofKind(docs, "Secret")) {
            problems.add("Secret " + secret.at("/metadata/name").asText()
                    + " ships with the manifests: the operator creates it");
        }
        for (Containers.Found c : Containers.ofWorkloads(docs)) {
            for (JsonNode env : c.node().path("env")) {
                String name = env.path("name").asText();
                if (CREDENTIAL.matcher(name).matches()
                        && !env.at("/valueFrom/secretKeyRef").isObject()) {
                    problems.add(c.where() + ": " + name + " must come from a secretKeyRef");
                }
            }
        }
        return problems;
    }
}
