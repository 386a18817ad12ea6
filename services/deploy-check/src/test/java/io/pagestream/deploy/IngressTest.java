package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The public API: one Ingress, one host, with TLS; all of {@code /v1/documents} (the submit and
 * {@code /v1/documents/{id}…}) reaches ingest's API port, so every read passes ingest's authentication, nothing reaches
 * the assembler or a management port, the status URL ingest hands out is {@code https://<that host>/v1/documents/},
 * and ingest asks the assembler's Service for what it reads.
 */
class IngressTest {
    private static final String SUBMIT = "/v1/documents";
    private static final String DOCUMENT = "/v1/documents/0b7e1c4a-1d2e-4f3a-9b8c-7d6e5f4a3b2c";

    @Test
    void everyOverlayServesTheApiOnOneHostOverTls() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), problems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void anIngressWithoutTlsIsReported() {
        String ingress = Repo.read(Repo.K8S.resolve("base/ingress.yaml"));
        String plain = ingress.replace(
                "  tls:\n    - hosts:\n        - pagestream.example.com\n      secretName: pagestream-api-tls\n", "");
        assertTrue(problemsWith(plain).contains("Ingress pagestream-api: no TLS Secret covers pagestream.example.com"));
    }

    @Test
    void wrongRoutesAndAStatusUrlElsewhereAreReported() {
        String ingress = Repo.read(Repo.K8S.resolve("base/ingress.yaml"));
        String toManagement = ingress.replaceFirst("name: http", "name: management");
        assertTrue(
                problemsWith(toManagement)
                        .contains("POST /v1/documents reaches pagestream-ingest:management, not"
                                + " pagestream-ingest:http"),
                problemsWith(toManagement).toString());
        // The old split: the submit Exact to ingest, the reads to the assembler.
        String readsToAssembler = ingress.replace(
                        "                  name: http\n",
                        "                  name: http\n"
                                + "          - path: /v1/documents/\n"
                                + "            pathType: Prefix\n"
                                + "            backend:\n"
                                + "              service:\n"
                                + "                name: pagestream-assembler\n"
                                + "                port:\n"
                                + "                  name: http\n")
                .replaceFirst("pathType: Prefix", "pathType: Exact");
        assertEquals(
                List.of(
                        "GET " + DOCUMENT + " reaches pagestream-assembler:http, not pagestream-ingest:http",
                        "GET " + DOCUMENT + "/ocr reaches pagestream-assembler:http, not pagestream-ingest:http",
                        "the status URL https://pagestream.example.com/v1/documents/{id} does not reach ingest"),
                problemsWith(readsToAssembler));

        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base"));
        docs.removeIf(d -> d.path("kind").asText().equals("StatefulSet"));
        docs.addAll(Repo.yamlDocuments(Repo.read(Repo.K8S.resolve("base/ingest.yaml"))
                .replace(
                        "https://pagestream.example.com/v1/documents/",
                        "http://pagestream-assembler:8082/v1/documents/")));
        assertEquals(
                List.of("ingest's status URL prefix http://pagestream-assembler:8082/v1/documents/ is not"
                        + " https://pagestream.example.com/v1/documents/"),
                problems(docs));
    }

    @Test
    void aResultsUrlElsewhereIsReported() {
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base"));
        docs.removeIf(d -> d.path("kind").asText().equals("StatefulSet"));
        docs.addAll(Repo.yamlDocuments(Repo.read(Repo.K8S.resolve("base/ingest.yaml"))
                .replace("http://pagestream-assembler:8082", "http://pagestream-assembler:9000")));
        assertEquals(
                List.of("ingest's results URL http://pagestream-assembler:9000 is not the assembler's Service"
                        + " http://pagestream-assembler:8082"),
                problems(docs));
    }

    /** The rendered base with its Ingress replaced by {@code ingressYaml}. */
    private static List<String> problemsWith(String ingressYaml) {
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base"));
        docs.removeIf(d -> d.path("kind").asText().equals("Ingress"));
        docs.addAll(Repo.yamlDocuments(ingressYaml));
        return problems(docs);
    }

    static List<String> problems(List<JsonNode> docs) {
        List<JsonNode> found = Manifests.ofKind(docs, "Ingress");
        if (found.size() != 1) {
            return List.of("expected one Ingress for the public API, found " + found.size());
        }
        Ingress ingress = StrictModels.parse(found.getFirst(), Ingress.class);
        String name = "Ingress " + ingress.getMetadata().getName();
        List<IngressRule> rules = ingress.getSpec().getRules();
        if (rules == null || rules.size() != 1 || rules.getFirst().getHost() == null) {
            return List.of(name + " must have one rule, for one host");
        }
        IngressRule rule = rules.getFirst();
        String host = rule.getHost();
        List<String> problems = new ArrayList<>();
        List<IngressTLS> tls = ingress.getSpec().getTls() == null
                ? List.of()
                : ingress.getSpec().getTls();
        boolean covered = tls.stream()
                .anyMatch(t -> t.getSecretName() != null
                        && !t.getSecretName().isBlank()
                        && t.getHosts() != null
                        && t.getHosts().contains(host));
        if (!covered) {
            problems.add(name + ": no TLS Secret covers " + host);
        }
        route(rule, SUBMIT, "POST", "pagestream-ingest", problems);
        route(rule, DOCUMENT, "GET", "pagestream-ingest", problems);
        route(rule, DOCUMENT + "/ocr", "GET", "pagestream-ingest", problems);
        JsonNode ingest = Manifests.only(docs, "StatefulSet", "pagestream-ingest");
        String results = PortsAndImagesTest.env(ingest, "PAGESTREAM_INGEST_RESULTS_URL");
        String assembler = "http://pagestream-assembler:" + Service.ASSEMBLER.httpPort();
        if (!results.equals(assembler)) {
            problems.add("ingest's results URL " + results + " is not the assembler's Service " + assembler);
        }
        String prefix = PortsAndImagesTest.env(ingest, "PAGESTREAM_INGEST_STATUS_URL_PREFIX");
        String expected = "https://" + host + "/v1/documents/";
        if (!prefix.equals(expected)) {
            problems.add("ingest's status URL prefix " + prefix + " is not " + expected);
        } else if (!backend(rule, URI.create(prefix + "some-id").getPath())
                .map(b -> b.getName().equals("pagestream-ingest"))
                .orElse(false)) {
            problems.add("the status URL " + prefix + "{id} does not reach ingest");
        }
        return problems;
    }

    private static void route(IngressRule rule, String path, String method, String service, List<String> problems) {
        String wanted = service + ":http";
        String actual = backend(rule, path)
                .map(b -> b.getName() + ":"
                        + (b.getPort().getName() != null
                                ? b.getPort().getName()
                                : String.valueOf(b.getPort().getNumber())))
                .orElse("nothing");
        if (!actual.equals(wanted)) {
            problems.add(method + " " + path + " reaches " + actual + ", not " + wanted);
        }
    }

    /**
     * The backend the Ingress API's matching rules pick for a path: Exact paths match the whole path, Prefix paths
     * match element by element (a trailing slash ignored); the longest match wins, and Exact before Prefix.
     * ImplementationSpecific is controller-defined and refused, so the verdict is never a guess.
     */
    static Optional<IngressServiceBackend> backend(IngressRule rule, String path) {
        HTTPIngressPath best = null;
        int bestLength = -1;
        boolean bestExact = false;
        for (HTTPIngressPath candidate : rule.getHttp().getPaths()) {
            String p = candidate.getPath();
            boolean exact =
                    switch (candidate.getPathType()) {
                        case "Exact" -> true;
                        case "Prefix" -> false;
                        default ->
                            throw new IllegalArgumentException("pathType " + candidate.getPathType() + " of " + p
                                    + " is not evaluated: use Exact or Prefix");
                    };
            String trimmed = p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            boolean matches = exact
                    ? path.equals(p)
                    : trimmed.equals("/") || path.equals(trimmed) || path.startsWith(trimmed + "/");
            int length = trimmed.length();
            if (matches && (length > bestLength || (length == bestLength && exact && !bestExact))) {
                best = candidate;
                bestLength = length;
                bestExact = exact;
            }
        }
        return Optional.ofNullable(best).map(b -> b.getBackend().getService());
    }
}
