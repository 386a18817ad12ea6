package io.pagestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize}, once per directory per test run. Current kubectl builds in
 * kustomize v5, Debian's 1.20 (the fallback of {@code .ci/run}) v2; the overlays are written to render alike on both.
 * kubectl is required: without it the overlays would go unchecked, so its absence fails the tests.
 */
final class Kustomize {
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The rendered documents of k8s/{@code dir} (base, overlays/dev, ...). */
    static List<JsonNode> render(String dir) {
        return RENDERED.computeIfAbsent(dir, d -> Repo.yamlDocuments(run(Repo.K8S.resolve(d))));
    }

    static String run(Path dir) {
        String kubectl = kubectl();
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectErrorStream(false)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** $KUBECTL, else kubectl on the PATH; a clear failure when neither exists. */
    static String kubectl() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("kubectl not found on the PATH (nor $KUBECTL): the deploy checks render the"
                + " k8s/ overlays with `kubectl kustomize` and cannot pass without it. Install kubectl (1.20 or newer)"
                + ", e.g. `.ci/run` does it, or set KUBECTL to its path.");
    }
}
