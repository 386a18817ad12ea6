package io.pagestream.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/** A real single-node KRaft broker running inside this JVM: the broker that tests talk to over real sockets. */
public final class KafkaBroker implements AutoCloseable {
    private final BrokerConfig config;
    private final KafkaRaftServer server;
    private final Path workDir;

    private KafkaBroker(BrokerConfig config, KafkaRaftServer server, Path workDir) {
        this.config = config;
        this.server = server;
        this.workDir = workDir;
    }

    /** Starts a broker on free loopback ports with fresh storage in a temporary directory removed on close. */
    public static KafkaBroker start() throws IOException {
        Path workDir = Files.createTempDirectory("pagestream-kafka-");
        BrokerConfig config = BrokerConfig.onFreePorts(workDir.resolve("logs"));
        config.writeAndFormat();
        return start(config, config.properties(), Map.of(), workDir);
    }

    /**
     * Starts a broker from {@code properties} on formatted storage, and waits until a client with
     * {@code clientSettings} is answered; {@code workDir} is removed on close.
     */
    static KafkaBroker start(
            BrokerConfig config, Map<String, String> properties, Map<String, Object> clientSettings, Path workDir) {
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        KafkaBroker broker = new KafkaBroker(config, server, workDir);
        try {
            server.startup();
            Readiness.await(
                    "Kafka broker at " + config.bootstrapServers(),
                    Duration.ofSeconds(60),
                    () -> true,
                    () -> Readiness.kafkaAnswers(config.bootstrapServers(), clientSettings),
                    () -> "");
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            Directories.deleteQuietly(workDir);
        }
    }
}
