package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Dockerfiles: multi-stage Maven builds with ./mvnw, a non-root runtime, the worker on CUDA 12 + cuDNN 9. */
class DockerfilesTest {
    /** NVIDIA's unnumbered cudnn tags carry cuDNN 9 from CUDA 12.4 on; cudnn9 names it outright. */
    private static final Pattern CUDA_BASE =
            Pattern.compile("nvidia/cuda:12\\.(\\d+)(\\.\\d+)?-(cudnn9|cudnn)-runtime-ubuntu\\d+\\.\\d+");

    @Test
    void everyDockerfileIsRight() {
        for (Service service : Service.ALL) {
            assertEquals(List.of(), problems(service, Repo.read(service.dockerfile())), service.name());
        }
    }

    @Test
    void brokenDockerfilesAreReported() {
        String ingest = Repo.read(Service.INGEST.dockerfile());
        assertFalse(problems(Service.INGEST, ingest.replace("USER 10001:10001", "USER root"))
                .isEmpty());
        assertFalse(problems(Service.INGEST, ingest.replace("USER 10001:10001", "USER pagestream"))
                .isEmpty());
        assertFalse(problems(Service.INGEST, ingest.replace("USER 10001:10001", "USER 0:10001"))
                .isEmpty());
        assertFalse(problems(Service.INGEST, ingest.replace("127.0.0.1:9000/q/health", "127.0.0.1:8080/q/health"))
                .isEmpty());
        assertFalse(problems(Service.INGEST, ingest.replace("FROM eclipse-temurin:25-jdk AS build", ""))
                .isEmpty());
        assertFalse(problems(Service.INGEST, ingest.replace("-XX:+ExitOnOutOfMemoryError ", ""))
                .isEmpty());
        String worker = Repo.read(Service.WORKER.dockerfile());
        assertFalse(problems(Service.WORKER, worker.replace(" -Pgpu", "")).isEmpty());
        assertFalse(problems(
                        Service.WORKER,
                        worker.replace(
                                "nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04",
                                "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04"))
                .isEmpty());
    }

    /** The command line's image, which the schemas Job, the init containers and compose's one-shot run. */
    @Test
    void theCommandLineImageIsASmallNonRootJre() {
        String cli = Repo.read(Repo.DOCKER.resolve("cli.Dockerfile"));
        assertEquals(List.of(), cliProblems(cli));
        assertFalse(cliProblems(cli.replace("USER 10001:10001", "")).isEmpty());
        assertFalse(cliProblems(
                        cli.replace("FROM eclipse-temurin:25-jre", "FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04"))
                .isEmpty());
    }

    static List<String> cliProblems(String dockerfile) {
        List<String> problems = buildProblems("cli", lines(dockerfile));
        if (!dockerfile.contains("pagestream-cli.jar")) {
            problems.add("the image must run the command line's jar");
        }
        return problems;
    }

    static List<String> problems(Service service, String dockerfile) {
        List<String> lines = lines(dockerfile);
        List<String> problems = new ArrayList<>(buildProblems(service.name(), lines));
        if (service == Service.WORKER) {
            // Its base is NVIDIA's, for CUDA and cuDNN, with the JRE copied in (checked below).
            problems.removeIf(p -> p.startsWith("the runtime base must be a JRE"));
        }
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        String lastFrom = froms.isEmpty() ? "" : froms.getLast();
        String build = String.join(" ", lines);
        int port = service.httpPort();
        int management = service.managementPort();
        if (!lines.contains("EXPOSE " + port + " " + management)
                || !build.contains("http://127.0.0.1:" + management + "/q/health/ready")) {
            problems.add(
                    "EXPOSE must name ports " + port + " and " + management + ", HEALTHCHECK use the management port");
        }
        if (!build.contains("target/quarkus-app/lib/") || !build.contains("quarkus-run.jar")) {
            problems.add("the runtime must run Quarkus' quarkus-app layout");
        }
        String entrypoint = lines.stream()
                .filter(l -> l.startsWith("ENTRYPOINT "))
                .reduce((a, b) -> b)
                .orElse("");
        // In the ENTRYPOINT, not JAVA_OPTS_APPEND, which the manifests set: an OutOfMemoryError must end the
        // container (Kubernetes restarts it), never leave a service running in an unknown state.
        if (!entrypoint.contains("java -XX:+ExitOnOutOfMemoryError ")) {
            problems.add("the ENTRYPOINT must run java -XX:+ExitOnOutOfMemoryError, is " + entrypoint);
        }
        if (service == Service.WORKER) {
            var cuda = CUDA_BASE.matcher(lastFrom);
            if (!cuda.find() || (cuda.group(3).equals("cudnn") && Integer.parseInt(cuda.group(1)) < 4)) {
                problems.add("the worker's runtime base must be CUDA 12 with cuDNN 9, is " + lastFrom);
            }
            if (!build.contains("-Pgpu")) {
                problems.add("the worker must be built with -Pgpu");
            }
        }
        return problems;
    }

    private static List<String> lines(String dockerfile) {
        return dockerfile
                .lines()
                .map(String::strip)
                .filter(l -> !l.startsWith("#"))
                .toList();
    }

    /** Every image: a multi-stage ./mvnw build of its module, a non-root final stage on a JRE base. */
    private static List<String> buildProblems(String module, List<String> lines) {
        List<String> problems = new ArrayList<>();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        if (froms.size() < 2) {
            problems.add("not a multi-stage build: " + froms);
        }
        String build = String.join(" ", lines);
        if (!build.contains("./mvnw ") || !build.contains("-pl services/" + module)) {
            problems.add("the build stage must run ./mvnw -pl services/" + module);
        }
        String users = lines.stream()
                .filter(l -> l.startsWith("USER "))
                .reduce((a, b) -> b)
                .orElse("none");
        String lastFrom = froms.isEmpty() ? "" : froms.getLast();
        int lastStage = lines.lastIndexOf(lastFrom);
        boolean userInFinalStage =
                lines.subList(Math.max(lastStage, 0), lines.size()).contains(users);
        // Numeric, so that Kubernetes can verify runAsNonRoot and the manifests' runAsUser/runAsGroup match it.
        var numeric = Pattern.compile("USER (\\d+):(\\d+)").matcher(users);
        if (!userInFinalStage || !numeric.matches() || Long.parseLong(numeric.group(1)) == 0) {
            problems.add("the final stage must switch to a numeric non-root USER uid:gid, has " + users);
        }
        if (!lastFrom.matches("FROM eclipse-temurin:\\d+-jre.*")) {
            problems.add("the runtime base must be a JRE, is " + lastFrom);
        }
        return problems;
    }
}
