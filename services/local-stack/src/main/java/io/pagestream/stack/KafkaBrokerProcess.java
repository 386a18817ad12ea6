package io.pagestream.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The same single-node broker as {@link KafkaBroker}, run as a child process ({@code kafka.Kafka}) for local runs,
 * with its data kept in a directory of the caller's choosing. The classpath is this JVM's own, which carries the
 * {@code kafka_2.13} jars. {@link #crashAndRestart()} kills it and starts it again on the same ports and data, as a
 * broker host that crashes and comes back.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    /** After a crash the broker first recovers every log segment it had not flushed: minutes on a busy machine. */
    private static final Duration RECOVERED_WITHIN = Duration.ofMinutes(5);

    private final BrokerConfig config;
    private final Path properties;
    private final Path log;
    private volatile ChildProcess child;

    private KafkaBrokerProcess(BrokerConfig config, Path properties, Path log, ChildProcess child) {
        this.config = config;
        this.properties = properties;
        this.log = log;
        this.child = child;
    }

    public static KafkaBrokerProcess start(Path dataDir, int port, int controllerPort) throws IOException {
        BrokerConfig config = new BrokerConfig(
                FreePorts.orPick(port), FreePorts.orPick(controllerPort), dataDir.resolve("kafka-logs"));
        Path properties = config.writeAndFormat();
        Path log = dataDir.resolve("kafka.log");
        return new KafkaBrokerProcess(config, properties, log, launch(config, properties, log, READY_WITHIN));
    }

    /**
     * SIGKILL, then the same broker again on the same ports and log directory (its log appended to); returns once it
     * answers, having recovered its logs as after a crash. Clients see their connections drop and come back.
     */
    public synchronized void crashAndRestart() throws IOException {
        child.kill();
        child = launch(config, properties, log, RECOVERED_WITHIN);
    }

    private static ChildProcess launch(BrokerConfig config, Path properties, Path log, Duration readyWithin)
            throws IOException {
        ChildProcess child = brokerChild(properties, log);
        try {
            Readiness.await(
                    "Kafka broker at " + config.bootstrapServers(),
                    readyWithin,
                    child::isAlive,
                    () -> Readiness.kafkaAnswers(config.bootstrapServers()),
                    child::logTail);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    /** {@code kafka.Kafka} on this JVM's class path, configured by {@code properties}, its output in {@code log}. */
    static ChildProcess brokerChild(Path properties, Path log) throws IOException {
        return ChildProcess.start(
                "kafka",
                List.of(
                        ChildProcess.javaExecutable(),
                        "-Xmx512m",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "kafka.Kafka",
                        properties.toString()),
                log);
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The broker process running now (a new one after {@link #crashAndRestart()}). */
    public ChildProcess process() {
        return child;
    }

    @Override
    public void close() {
        child.close();
    }
}
