package io.pagestream.assembler.cluster;

import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.FreePorts;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged assembler ({@code target/quarkus-app/quarkus-run.jar}) running as a child process. */
final class AssemblerProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ChildProcess child;

    private AssemblerProcess(String name, int port, ChildProcess child) {
        this.name = name;
        this.port = port;
        this.child = child;
    }

    static AssemblerProcess start(String name, Path jar, Path workDir, Map<String, String> settings)
            throws IOException {
        int port = FreePorts.pick();
        List<String> command = new ArrayList<>(List.of(
                ChildProcess.javaExecutable(),
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // Several instances on one machine: each its own management port (the default is 9000 for all).
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + FreePorts.pick(),
                "-Dquarkus.kafka-streams.application-server=127.0.0.1:" + port,
                "-Dkafka-streams.state.dir=" + workDir.resolve(name + "-state")));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        return new AssemblerProcess(name, port, ChildProcess.start(name, command, workDir.resolve(name + ".log")));
    }

    String name() {
        return name;
    }

    /** The {@code application.server} of this instance, as the {@code X-Pagestream-Served-By} header names it. */
    String endpoint() {
        return "127.0.0.1:" + port;
    }

    boolean isAlive() {
        return child.isAlive();
    }

    String logTail() {
        return child.logTail();
    }

    HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + endpoint() + path))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking " + name);
        }
    }

    /** Killed without warning: no shutdown hook, no goodbye to the group coordinator, a transaction left open. */
    void crash() {
        child.kill();
    }

    @Override
    public void close() {
        child.close();
    }
}
