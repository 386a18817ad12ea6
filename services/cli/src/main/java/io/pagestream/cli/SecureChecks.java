package io.pagestream.cli;

import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What {@code demo --secure} checks of the secured pipeline, each printed as one line, {@code PASS} or {@code FAIL},
 * with what was seen; any FAIL fails the demo. The Kafka checks try what a secured cluster must refuse; the positive
 * side (each service doing its job as its own principal) is the pipeline running at all.
 */
final class SecureChecks {
    private static final Duration KAFKA_PATIENCE = Duration.ofSeconds(10);

    private final PrintWriter out;
    private final List<String> failures = new ArrayList<>();

    SecureChecks(PrintWriter out) {
        this.out = out;
    }

    void record(String what, boolean passed, String seen) {
        out.println((passed ? "PASS  " : "FAIL  ") + what + ": " + seen);
        out.flush();
        if (!passed) {
            failures.add(what);
        }
    }

    boolean allPassed() {
        return failures.isEmpty();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** A client without TLS or a login gets no answer from the SASL_SSL listener. */
    void plaintextRefused(String bootstrapServers) {
        Map<String, Object> plain = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Optional<Throwable> refusal = describeCluster(plain);
        record(
                "a plaintext Kafka client without a login is refused",
                refusal.isPresent(),
                refusal.map(SecureChecks::describe).orElse("it listed the brokers"));
    }

    /** A principal's login with a wrong password is refused by the broker's SCRAM check. */
    void wrongPasswordRefused(String bootstrapServers, Path clientFile, ServicePrincipal principal) throws IOException {
        Map<String, Object> settings = kafkaSettings(bootstrapServers, clientFile);
        settings.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal.user()
                        + "\" password=\"not-the-password\";");
        Optional<Throwable> refusal = describeCluster(settings);
        record(
                principal.principal() + " with a wrong password is refused",
                refusal.filter(e -> e instanceof SaslAuthenticationException).isPresent(),
                refusal.map(SecureChecks::describe).orElse("it listed the brokers"));
    }

    /** {@code principal} writing to {@code topic}, which its ACLs do not allow, gets a topic authorization error. */
    void writeRefused(String bootstrapServers, Path clientFile, ServicePrincipal principal, String topic)
            throws IOException {
        Map<String, Object> settings = kafkaSettings(bootstrapServers, clientFile);
        // Idempotence would need its own check first; this asks about the topic's ACL alone.
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        settings.put(ProducerConfig.ACKS_CONFIG, "1");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KAFKA_PATIENCE.toMillis());
        Throwable refusal = null;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "secure-demo-probe", new byte[] {0}))
                    .get(2 * KAFKA_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            refusal = e.getCause();
        } catch (Exception e) {
            refusal = e;
        }
        record(
                principal.principal() + " writing to " + topic + " is refused by ACL",
                refusal instanceof TopicAuthorizationException,
                refusal == null ? "the record was written" : describe(refusal));
    }

    /** A REST call without credentials is answered 401. */
    void unauthenticated(String what, int status) {
        record(what + " without an API key is refused", status == 401, "HTTP " + status);
    }

    /** The status read right after the 202 knows the document: ACCEPTED or a later state, never 404. */
    void readRightAfterAccepted(String sample, URI statusUrl, DocumentQuery.Answer answer) {
        String state = answer.httpStatus() == 200 ? answer.body().path("state").asText("") : "";
        record(
                sample + ": GET with the API key right after the 202 answers ACCEPTED or later",
                !state.isEmpty(),
                "GET " + statusUrl + " -> " + answer.httpStatus()
                        + (state.isEmpty() ? " " + answer.error() : " " + state));
    }

    /**
     * The outputs of {@code documentIds} read as {@code pagestream-watch} with its client properties file alone (what
     * {@code watch --command-config FILE} does): every document's OCR and its COMPLETED status.
     */
    void outputsReadAsWatch(Path watchFile, Set<String> documentIds, Duration timeout) throws IOException {
        CommandConfig.Settings watch = CommandConfig.Settings.read(watchFile);
        Set<String> withOcr = new HashSet<>();
        Set<String> completed = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen;
        try (DecodingConsumer consumer = new DecodingConsumer(
                watch.kafka(Optional.empty(), ""),
                watch.registry(Optional.empty(), ""),
                Topics.names(Topics.DOCUMENTS_OCR, Topics.DOCUMENTS_ANSWERS, Topics.DOCUMENTS_STATUS),
                true)) {
            while ((!withOcr.containsAll(documentIds) || !completed.containsAll(documentIds))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.topic().equals(Topics.DOCUMENTS_OCR.name())) {
                        withOcr.add(record.key());
                    } else if (record.topic().equals(Topics.DOCUMENTS_STATUS.name())
                            && "COMPLETED".equals(String.valueOf(record.value().get("state")))) {
                        completed.add(record.key());
                    }
                }
            }
            seen = withOcr.size() + " of " + documentIds.size() + " documents' OCR, " + completed.size()
                    + " COMPLETED statuses";
        } catch (RuntimeException e) {
            seen = describe(e);
        }
        record(
                "the outputs are read with watch --command-config " + watchFile,
                withOcr.containsAll(documentIds) && completed.containsAll(documentIds),
                seen);
    }

    private static Map<String, Object> kafkaSettings(String bootstrapServers, Path clientFile) throws IOException {
        return new HashMap<>(CommandConfig.Settings.read(clientFile).kafka(Optional.of(bootstrapServers), ""));
    }

    /** The failure of asking for the cluster's brokers with {@code settings}, or empty when they were listed. */
    private static Optional<Throwable> describeCluster(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_PATIENCE.toMillis() / 2);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_PATIENCE.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(2 * KAFKA_PATIENCE.toSeconds(), TimeUnit.SECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (Exception e) {
            return Optional.of(e);
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
