package io.pagestream.stack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run as a child JVM on a loopback port: how
 * the command line starts ingest, the worker and the assembler for {@code up} and {@code demo}, and how their tests
 * start the packaged application. Settings travel as {@code -D} system properties, which Quarkus reads before its
 * {@code application.properties}. Each service serves its API on one port and health, metrics and OpenAPI on a
 * management port of its own (Quarkus' management interface; 9000 for every service unless told otherwise).
 */
public final class ServiceJvm implements AutoCloseable {
    /** Quarkus' readiness check (SmallRye Health): 200 once every readiness procedure is up. */
    public static final String READY_PATH = "/q/health/ready";
    /** Every service JVM runs with it, here as in the images (docker/*.Dockerfile). */
    public static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildProcess child;
    private final int port;
    private final int managementPort;

    private ServiceJvm(ChildProcess child, int port, int managementPort) {
        this.child = child;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** A service called {@code name} (in logs and messages) from its runnable jar. */
    public static Builder builder(String name, Path jar) {
        return new Builder(name, jar);
    }

    public static final class Builder {
        private final String name;
        private final Path jar;
        private String maxHeap = "512m";
        private int port = FreePorts.pick();
        private int managementPort = FreePorts.pick();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path log;

        private Builder(String name, Path jar) {
            this.name = Objects.requireNonNull(name);
            this.jar = jar.toAbsolutePath();
        }

        /** {@code -Xmx}, as the JVM spells it: {@code 512m}, {@code 1g}. */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        /** The HTTP port; 0 picks a free one. A caller that must name the port in a setting picks it first. */
        public Builder port(int port) {
            this.port = FreePorts.orPick(port);
            return this;
        }

        /** The management port (health, metrics, OpenAPI); 0 picks a free one, the default. */
        public Builder managementPort(int port) {
            this.managementPort = FreePorts.orPick(port);
            return this;
        }

        /** A JVM option given as is, before the system properties (e.g. {@code -Dkey=value} lists made elsewhere). */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> settings) {
            properties.putAll(settings);
            return this;
        }

        /** An environment variable added to this JVM's own. */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** Where its output goes; appended to, so a restarted service keeps its predecessor's lines. */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /** The command line {@link #start()} runs. */
        public List<String> command() {
            List<String> command = new ArrayList<>(List.of(
                    ChildProcess.javaExecutable(),
                    "-Xmx" + maxHeap,
                    // An OutOfMemoryError leaves a service in an unknown state: it exits, and its supervisor
                    // (up's, or Kubernetes in a cluster) starts a fresh one.
                    EXIT_ON_OUT_OF_MEMORY,
                    "--enable-native-access=ALL-UNNAMED",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.host=127.0.0.1",
                    "-Dquarkus.management.port=" + managementPort));
            command.addAll(jvmOptions);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-jar", jar.toString()));
            return command;
        }

        /** Starts it and returns at once; {@link ServiceJvm#awaitReady} waits for it to serve. */
        public ServiceJvm start() throws IOException {
            Objects.requireNonNull(log, "log");
            return new ServiceJvm(ChildProcess.start(name, command(), environment, log), port, managementPort);
        }
    }

    public String name() {
        return child.name();
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int managementPort() {
        return managementPort;
    }

    /** {@code http://127.0.0.1:MANAGEMENT_PORT}: health, metrics and OpenAPI. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    public Path log() {
        return child.log();
    }

    public String logTail() {
        return child.logTail();
    }

    /** The child process itself, for whoever tracks every child of a stack. */
    public ChildProcess process() {
        return child;
    }

    /** Waits until the readiness check answers 200; fails with the log's tail if it exits or takes longer. */
    public void awaitReady(Duration timeout) {
        awaitReady(timeout, () -> false);
    }

    /** The same, giving up with a {@link CancellationException} as soon as {@code stopping} is true. */
    public void awaitReady(Duration timeout, BooleanSupplier stopping) {
        Readiness.await(
                "the " + name() + " service on " + url(),
                timeout,
                child::isAlive,
                () -> {
                    if (stopping.getAsBoolean()) {
                        throw new CancellationException("stopping");
                    }
                    return answersReady();
                },
                () -> "its log (" + log() + ") ends with:\n" + logTail());
    }

    private boolean answersReady() {
        try {
            return get(managementUrl(), READY_PATH, Duration.ofSeconds(5)).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** GETs a path of its API port. */
    public HttpResponse<String> get(String path) throws IOException {
        return get(url(), path, Duration.ofSeconds(30));
    }

    /** GETs a path of its management port ({@code /q/health/ready}, {@code /q/metrics} …). */
    public HttpResponse<String> getManagement(String path) throws IOException {
        return get(managementUrl(), path, Duration.ofSeconds(30));
    }

    private HttpResponse<String> get(String base, String path, Duration timeout) throws IOException {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(timeout)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking the " + name() + " service");
        }
    }

    /**
     * SIGTERM (Quarkus shuts down gracefully), then SIGKILL if it has not ended after {@code grace}. Returns whether
     * it ended by itself.
     */
    public boolean stop(Duration grace) {
        return child.stop(grace);
    }

    /** SIGKILL without warning: no shutdown hook, no goodbye to the group coordinator, a transaction left open. */
    public void kill() {
        child.kill();
    }

    @Override
    public void close() {
        child.close();
    }
}
