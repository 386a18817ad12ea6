package io.pagestream.cli;

import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.FreePorts;
import io.pagestream.stack.KafkaBrokerProcess;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The whole pipeline on this machine, every part a child process: a KRaft broker, the Apicurio registry, the topics,
 * and the packaged ingest, worker and assembler services, each on its own port. {@code up} keeps it running,
 * {@code demo} runs documents through it. {@link #close()} stops every child that was started, services first, and
 * may be called from a shutdown hook while start-up is still under way: what starts after it is stopped at once.
 */
final class LocalPipeline implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** Ports to serve on; 0 picks a free one. */
    record Ports(int kafka, int registry, int ingest, int worker, int assembler) {
        static Ports anyFree() {
            return new Ports(0, 0, 0, 0, 0);
        }
    }

    /** The packaged services ({@code target/quarkus-app/quarkus-run.jar}); a null one is not started. */
    record Services(Path ingest, Path worker, Path assembler) {
        static Services at(Path repositoryRoot) {
            return new Services(
                    jar(repositoryRoot, "ingest"), jar(repositoryRoot, "worker"), jar(repositoryRoot, "assembler"));
        }

        static Path jar(Path repositoryRoot, String service) {
            return repositoryRoot.resolve("services").resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /** The same, less those whose jar has not been built. */
        Services built() {
            return new Services(ifBuilt(ingest), ifBuilt(worker), ifBuilt(assembler));
        }

        List<Path> missing() {
            List<Path> missing = new ArrayList<>();
            for (Path jar : new Path[] {ingest, worker, assembler}) {
                if (jar != null && !Files.isRegularFile(jar)) {
                    missing.add(jar);
                }
            }
            return missing;
        }

        private static Path ifBuilt(Path jar) {
            return jar != null && Files.isRegularFile(jar) ? jar : null;
        }
    }

    /** The worker's checkpoint and any further {@code pagestream.worker.*} settings (full keys). */
    record WorkerModel(Path checkpoint, Map<String, String> settings) {}

    /**
     * The system properties that turn OpenTelemetry on in every service ({@code quarkus.otel.*}); {@link #OFF} leaves
     * each service's own setting, which is off.
     */
    record Tracing(List<String> systemProperties) {
        static final Tracing OFF = new Tracing(List.of());
    }

    /** A started service: its API at {@code url}, health, metrics and OpenAPI at {@code managementUrl}. */
    private record Service(ChildProcess child, String url, String managementUrl) {}

    /**
     * Where each part answers; a service that was not started is empty. {@code management} maps each started service
     * to its management interface (health, metrics, OpenAPI).
     */
    record Addresses(
            String kafka,
            String registry,
            Optional<String> ingest,
            Optional<String> worker,
            Optional<String> assembler,
            Map<String, String> management) {}

    private final Path dir;
    private final PrintWriter log;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<ChildProcess> children = new ArrayList<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    /** This JVM's children from before: anything else it has at {@link #close()} was started for the pipeline. */
    private final Set<Long> preexisting;

    private boolean closed;

    /** {@code dir} holds the logs, the broker's data and the services' work directories; it must be empty or new. */
    LocalPipeline(Path dir, PrintWriter log) {
        this.dir = dir.toAbsolutePath();
        this.log = log;
        this.preexisting =
                ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * Starts the stack, then the services (together, since the worker's model load dominates), and returns once every
     * one of them reports ready. The worker needs {@code model}; without one it is not started.
     */
    Addresses start(Ports ports, Services jars, WorkerModel model, Tracing tracing)
            throws IOException, InterruptedException {
        log.println("Starting Kafka and the schema registry (logs in " + dir + ") ...");
        KafkaBrokerProcess kafka = started(KafkaBrokerProcess.start(dir, ports.kafka(), 0));
        ApicurioRegistry registry = started(ApicurioRegistry.start(dir, ports.registry()));
        synchronized (this) {
            children.add(kafka.process());
            children.add(registry.process());
        }
        TopicAdmin.createMissing(kafka.bootstrapServers(), Topics.newTopics((short) 1));

        List<String> common = new ArrayList<>(List.of(
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dpagestream.registry.url=" + registry.url()));
        common.addAll(tracing.systemProperties());
        // Chosen before ingest starts: the status URL ingest hands out points at the assembler, which serves it.
        int assemblerPort = jars.assembler() == null ? 0 : FreePorts.orPick(ports.assembler());
        if (jars.ingest() != null) {
            List<String> own = new ArrayList<>(List.of(
                    "-Djava.awt.headless=true",
                    "-Dpagestream.ingest.work-directory=" + dir.resolve("ingest-work"),
                    "-Dquarkus.http.body.uploads-directory=" + dir.resolve("ingest-uploads")));
            if (jars.assembler() != null) {
                own.add("-Dpagestream.ingest.status-url-prefix=http://127.0.0.1:" + assemblerPort + "/v1/documents/");
            }
            service("ingest", ports.ingest(), jars.ingest(), "-Xmx512m", common, own);
        }
        if (jars.worker() != null && model != null) {
            List<String> settings = new ArrayList<>(List.of(
                    "-Dpagestream.worker.model.checkpoint=" + model.checkpoint().toAbsolutePath(),
                    "-Dpagestream.worker.instance-id=local-worker"));
            model.settings().forEach((key, value) -> settings.add("-D" + key + "=" + value));
            service("worker", ports.worker(), jars.worker(), "-Xmx1g", common, settings);
        }
        if (jars.assembler() != null) {
            service(
                    "assembler",
                    assemblerPort,
                    jars.assembler(),
                    "-Xmx384m",
                    common,
                    List.of(
                            // Queries for a document another instance owns are forwarded to this address.
                            "-Dquarkus.kafka-streams.application-server=127.0.0.1:" + assemblerPort,
                            "-Dkafka-streams.state.dir=" + dir.resolve("assembler-state")));
        }
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            for (Service service : services.values()) {
                awaitReady(service, http);
            }
        }
        Map<String, String> management = new LinkedHashMap<>();
        services.forEach((name, service) -> management.put(name, service.managementUrl()));
        return new Addresses(
                kafka.bootstrapServers(),
                registry.url(),
                url("ingest"),
                url("worker"),
                url("assembler"),
                Map.copyOf(management));
    }

    private Optional<String> url(String service) {
        return Optional.ofNullable(services.get(service)).map(Service::url);
    }

    private void service(String name, int port, Path jar, String heap, List<String> common, List<String> own)
            throws IOException {
        int httpPort = FreePorts.orPick(port);
        String url = "http://127.0.0.1:" + httpPort;
        // Every service defaults to 9000: on one machine each needs its own.
        int managementPort = FreePorts.pick();
        log.println("Starting the " + name + " service on " + url + " ...");
        List<String> command = new ArrayList<>(List.of(
                ChildProcess.javaExecutable(),
                heap,
                "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort));
        command.addAll(common);
        command.addAll(own);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ChildProcess child = started(ChildProcess.start(name, command, dir.resolve(name + ".log")));
        synchronized (this) {
            children.add(child);
        }
        services.put(name, new Service(child, url, "http://127.0.0.1:" + managementPort));
    }

    /** Waits for the service's readiness check, failing early if it exits or the pipeline is being stopped. */
    private void awaitReady(Service service, HttpClient http) throws InterruptedException {
        ChildProcess child = service.child();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (isClosed()) {
                throw new CancellationException("stopping");
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the " + child.name() + " service exited while starting; its log ("
                        + child.log() + ") ends with:\n" + child.logTail());
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    log.println("  " + child.name() + " is ready");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the " + child.name() + " service was not ready after " + READY_WITHIN
                + "; its log (" + child.log() + ") ends with:\n" + child.logTail());
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized <T extends AutoCloseable> T started(T part) {
        if (closed) {
            closeQuietly(part);
            throw new CancellationException("stopping");
        }
        started.push(part);
        return part;
    }

    /** Every child process started, in start order. */
    synchronized List<ChildProcess> children() {
        return List.copyOf(children);
    }

    /** The first child that is no longer running, if any: the pipeline cannot finish without it. */
    Optional<ChildProcess> firstDead() {
        return children().stream().filter(child -> !child.isAlive()).findFirst();
    }

    /** The end of each service's log (or of every child's when no service runs), for a failure report. */
    String logTails() {
        StringBuilder b = new StringBuilder();
        List<ChildProcess> shown = services.isEmpty()
                ? children()
                : services.values().stream().map(Service::child).toList();
        for (ChildProcess child : shown) {
            b.append("---- ")
                    .append(child.name())
                    .append(child.isAlive() ? "" : " (exited)")
                    .append(": ")
                    .append(child.log())
                    .append(" ----\n")
                    .append(child.logTail())
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * Stops what was started, last first, so the services leave their groups while Kafka is still there; then any
     * child still starting (the broker and the registry are known only once they answer, and Ctrl-C may come first).
     */
    @Override
    public synchronized void close() {
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            if (part instanceof ChildProcess child) {
                child.stop(STOP_GRACE);
            } else {
                closeQuietly(part);
            }
        }
        List<ProcessHandle> starting = ProcessHandle.current()
                .children()
                .filter(child -> !preexisting.contains(child.pid()))
                .toList();
        starting.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : starting) {
            try {
                child.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }

    private void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.println("while stopping: " + e);
        }
    }
}
