package io.pagestream.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * The settings of a single-node KRaft broker (broker and controller in one process) on loopback, and the storage
 * format step that must run before its first start. Shared by the in-process broker and the child-process broker.
 */
public record BrokerConfig(int brokerPort, int controllerPort, Path logDir) {

    /** Largest record the broker accepts by default; topics that carry page images raise it per topic. */
    public static final int MESSAGE_MAX_BYTES = 1024 * 1024;

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Map<String, String> properties() {
        Map<String, String> p = new TreeMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // One node: every internal topic must live with one replica, or groups and transactions never start.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The 128 MiB default dedupe buffer is allocated at start-up and does not fit small heaps.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("message.max.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        return p;
    }

    /** Writes {@code server.properties} into the log directory's parent and formats the log directory. */
    public Path writeAndFormat() throws IOException {
        return writeAndFormat(logDir, properties(), List.of());
    }

    /**
     * Writes {@code properties} beside {@code logDir} and formats it, passing {@code formatArguments} to the storage
     * tool as well (e.g. {@code --add-scram}, for credentials the broker needs before it can take requests).
     */
    static Path writeAndFormat(Path logDir, Map<String, String> properties, List<String> formatArguments)
            throws IOException {
        Files.createDirectories(logDir);
        Path file = logDir.resolveSibling(logDir.getFileName() + ".properties");
        Properties props = new Properties();
        props.putAll(properties);
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "pagestream single-node KRaft broker");
        }
        List<String> arguments = new ArrayList<>(List.of(
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                file.toString(),
                "--ignore-formatted"));
        arguments.addAll(formatArguments);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc = StorageTool.execute(
                arguments.toArray(String[]::new), new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("formatting Kafka storage in " + logDir + " failed (exit " + rc + "): "
                    + captured.toString(StandardCharsets.UTF_8));
        }
        return file;
    }

    public static BrokerConfig onFreePorts(Path logDir) {
        return new BrokerConfig(FreePorts.pick(), FreePorts.pick(), logDir);
    }
}
