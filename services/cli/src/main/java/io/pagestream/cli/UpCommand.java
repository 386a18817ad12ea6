package io.pagestream.cli;

import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.Directories;
import io.pagestream.stack.FreePorts;
import io.pagestream.stack.KafkaBrokerProcess;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the embedded stack as child processes — a single-node KRaft broker, an Apicurio registry and, when it has
 * been built, the ingest service — creates the topics, prints the addresses, and keeps running until Ctrl-C, when it stops every child it started. The stack is
 * ephemeral: the registry keeps schemas in memory, so Kafka's data is wiped at each start to stay consistent with it.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the embedded stack (Kafka, schema registry, ingest) and keep it running until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka bootstrap port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--data-dir", defaultValue = ".stack/run", description = "Where logs and broker data go (wiped at start). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--json", description = "Print the addresses as one JSON line (for scripts).")
    boolean json;

    @Option(names = "--ingest-port", defaultValue = "8080", description = "Ingest REST port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int ingestPort;

    @Option(names = "--ingest-jar", defaultValue = "services/ingest/target/quarkus-app/quarkus-run.jar",
            description = "The packaged ingest service; when the file is missing, up runs without it. Default: ${DEFAULT-VALUE}.")
    Path ingestJar;

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Thread hook = new Thread(this::stopAll, "pagestream-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Path dir = dataDir.toAbsolutePath();
        wipe(dir);
        out.println("Starting Kafka and the schema registry (logs in " + dir + ") ...");
        KafkaBrokerProcess kafka = KafkaBrokerProcess.start(dir, kafkaPort, 0);
        started.push(kafka);
        ApicurioRegistry registry = ApicurioRegistry.start(dir, registryPort);
        started.push(registry);
        TopicAdmin.createMissing(kafka.bootstrapServers(), Topics.newTopics((short) 1));
        ChildProcess ingest = null;
        String ingestUrl = null;
        if (Files.isRegularFile(ingestJar)) {
            int port = FreePorts.orPick(ingestPort);
            ingestUrl = "http://127.0.0.1:" + port;
            out.println("Starting the ingest service on " + ingestUrl + " ...");
            ingest = ChildProcess.start("ingest", List.of(ChildProcess.javaExecutable(), "-Xmx512m",
                    "-Djava.awt.headless=true", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "-Dpagestream.registry.url=" + registry.url(),
                    "-Dpagestream.ingest.work-directory=" + dir.resolve("ingest-work"),
                    "-Dquarkus.http.body.uploads-directory=" + dir.resolve("ingest-uploads"),
                    "-jar", ingestJar.toAbsolutePath().toString()), dir.resolve("ingest.log"));
            started.push(ingest);
            awaitReady(ingest, ingestUrl + "/q/health/ready");
        } else {
            System.err.println("(ingest service not built at " + ingestJar + ": run ./pagestream build to include it)");
        }

        if (json) {
            out.printf("{\"kafka\":\"%s\",\"registry\":\"%s\",\"topics\":%d,\"pids\":[%d,%d]%s}%n",
                    kafka.bootstrapServers(), registry.url(), Topics.ALL.size(),
                    kafka.process().pid(), registry.process().pid(),
                    ingest == null ? "" : ",\"ingest\":\"" + ingestUrl + "\",\"ingestPid\":" + ingest.pid());
        } else {
            out.println();
            out.println("pagestream is up");
            out.println("  Kafka bootstrap   " + kafka.bootstrapServers());
            out.println("  Schema registry   " + registry.url() + "   (Confluent API)");
            out.println("  Topics            " + String.join(", ", Topics.ALL.stream().map(t -> t.name()).toList()));
            if (ingest != null) {
                out.println("  Ingest REST       " + ingestUrl + "/v1/documents   (OpenAPI " + ingestUrl + "/q/openapi)");
            }
            out.println("  Logs              " + dir);
            out.println("Press Ctrl-C to stop.");
        }
        out.flush();
        List<ChildProcess> children = ingest == null ? List.of(kafka.process(), registry.process())
                : List.of(kafka.process(), registry.process(), ingest);
        while (stopped.getCount() > 0) {
            for (ChildProcess child : children) {
                if (!child.isAlive()) {
                    System.err.println(child.name() + " exited unexpectedly; stopping. Its log ends with:\n"
                            + child.logTail());
                    return 1;
                }
            }
            Thread.sleep(500);
        }
        return 0;
    }

    /** Waits (at most 3 minutes) for the ingest service's readiness check, failing early if it exits. */
    private static void awaitReady(ChildProcess child, String url) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new IllegalStateException("the ingest service exited while starting; its log ends with:\n"
                        + child.logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the ingest service did not become ready in 3 minutes; its log ends with:\n"
                + child.logTail());
    }

    private synchronized void stopAll() {
        stopped.countDown();
        if (!started.isEmpty()) {
            System.out.println("Stopping ...");
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }

    private static void wipe(Path dir) throws IOException {
        Directories.deleteQuietly(dir);
        Files.createDirectories(dir);
    }
}
