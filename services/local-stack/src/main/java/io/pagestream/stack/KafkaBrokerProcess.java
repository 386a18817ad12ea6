package io.pagestream.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The same single-node broker as {@link KafkaBroker}, run as a child process ({@code kafka.Kafka}) for local runs,
 * with its data kept in a directory of the caller's choosing. The classpath is this JVM's own, which carries the
 * {@code kafka_2.13} jars.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private final BrokerConfig config;
    private final ChildProcess child;

    private KafkaBrokerProcess(BrokerConfig config, ChildProcess child) {
        this.config = config;
        this.child = child;
    }

    public static KafkaBrokerProcess start(Path dataDir, int port, int controllerPort) throws IOException {
        BrokerConfig config = new BrokerConfig(
                FreePorts.orPick(port), FreePorts.orPick(controllerPort), dataDir.resolve("kafka-logs"));
        Path properties = config.writeAndFormat();
        ChildProcess child = ChildProcess.start(
                "kafka",
                List.of(
                        ChildProcess.javaExecutable(),
                        "-Xmx512m",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "kafka.Kafka",
                        properties.toString()),
                dataDir.resolve("kafka.log"));
        try {
            Readiness.await(
                    "Kafka broker at " + config.bootstrapServers(),
                    Duration.ofSeconds(90),
                    child::isAlive,
                    () -> Readiness.kafkaAnswers(config.bootstrapServers()),
                    child::logTail);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return new KafkaBrokerProcess(config, child);
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public ChildProcess process() {
        return child;
    }

    @Override
    public void close() {
        child.close();
    }
}
