package io.pagestream.cli;

import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.Directories;
import io.pagestream.stack.KafkaBrokerProcess;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
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
 * Starts the embedded stack as child processes — a single-node KRaft broker and an Apicurio registry — creates the
 * topics, prints the addresses, and keeps running until Ctrl-C, when it stops every child it started. The stack is
 * ephemeral: the registry keeps schemas in memory, so Kafka's data is wiped at each start to stay consistent with it.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the embedded stack (Kafka, schema registry) and keep it running until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka bootstrap port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--data-dir", defaultValue = ".stack/run", description = "Where logs and broker data go (wiped at start). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--json", description = "Print the addresses as one JSON line (for scripts).")
    boolean json;

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

        if (json) {
            out.printf("{\"kafka\":\"%s\",\"registry\":\"%s\",\"topics\":%d,\"pids\":[%d,%d]}%n",
                    kafka.bootstrapServers(), registry.url(), Topics.ALL.size(),
                    kafka.process().pid(), registry.process().pid());
        } else {
            out.println();
            out.println("pagestream is up");
            out.println("  Kafka bootstrap   " + kafka.bootstrapServers());
            out.println("  Schema registry   " + registry.url() + "   (Confluent API)");
            out.println("  Topics            " + String.join(", ", Topics.ALL.stream().map(t -> t.name()).toList()));
            out.println("  Logs              " + dir);
            out.println("Press Ctrl-C to stop.");
        }
        out.flush();
        List<ChildProcess> children = List.of(kafka.process(), registry.process());
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
