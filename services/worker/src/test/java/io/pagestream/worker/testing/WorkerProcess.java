package io.pagestream.worker.testing;

import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged worker ({@code target/quarkus-app/quarkus-run.jar}) as a child process that a test can kill. */
public final class WorkerProcess implements AutoCloseable {
    private final ChildProcess child;
    private final int port;

    private WorkerProcess(ChildProcess child, int port) {
        this.child = child;
        this.port = port;
    }

    /**
     * Starts the worker with these system properties, its output appended to {@code log}; {@code port} is its
     * management interface (health, metrics), the only one it serves.
     */
    public static WorkerProcess start(Path app, Map<String, String> properties, Path log, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ChildProcess.javaExecutable(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx768m",
                "-Dquarkus.http.port=" + FreePorts.pick(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + port,
                "-Dquarkus.management.host=127.0.0.1"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", app.toString()));
        String djl = System.getProperty("pagestream.djl.cache");
        Map<String, String> environment = djl == null ? Map.of() : Map.of("DJL_CACHE_DIR", djl);
        return new WorkerProcess(ChildProcess.start("worker", command, environment, log), port);
    }

    public boolean alive() {
        return child.isAlive();
    }

    /** GETs a path of the worker's management port; status -1 when it does not answer. */
    public Answer get(String path) {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted");
        }
    }

    public record Answer(int status, String body) {}

    /** SIGKILL: no shutdown hook, no graceful anything. */
    public void kill() {
        child.kill();
    }

    /**
     * SIGTERM, then waits for the graceful shutdown; SIGKILL if it takes longer than {@code grace}. Returns whether
     * it ended by itself.
     */
    public boolean stop(Duration grace) {
        return child.stop(grace);
    }

    public String logTail() {
        return child.logTail();
    }

    @Override
    public void close() {
        if (child.isAlive()) {
            kill();
        }
    }
}
