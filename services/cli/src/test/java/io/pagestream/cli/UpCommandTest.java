package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.topics.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pagestream up} as a user runs it: a separate process that serves Kafka and the registry, a record written
 * here and read back by {@code pagestream watch} in a third process, then Ctrl-C (SIGINT) and no process left behind.
 */
@IntegrationTest
class UpCommandTest {
    private static final Pattern ADDRESSES = Pattern.compile("\\{\"kafka\":\"([^\"]+)\",\"registry\":\"([^\"]+)\".*");
    private static final Pattern INGEST = Pattern.compile("\"ingestManagement\":\"([^\"]+)\"");

    @Test
    void upServesTheStackAndCtrlCLeavesNoProcessBehind(@TempDir Path dir) throws Exception {
        Path ingestJar = Path.of("../ingest/target/quarkus-app/quarkus-run.jar");
        Process up = CliProcess.start(
                dir.resolve("up.err"),
                "up",
                "--json",
                "--kafka-port",
                "0",
                "--registry-port",
                "0",
                "--ingest-port",
                "0",
                "--ingest-jar",
                ingestJar.toString(),
                "--data-dir",
                dir.resolve("run").toString());
        List<ProcessHandle> children = List.of();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            Matcher addresses =
                    CompletableFuture.supplyAsync(() -> awaitAddresses(lines)).get(180, TimeUnit.SECONDS);
            assertNotNull(addresses, () -> "up never printed its addresses: " + read(dir.resolve("up.err")));
            String bootstrap = addresses.group(1);
            String registry = addresses.group(2);
            children = up.descendants().toList();
            assertTrue(children.size() >= 2, "broker and registry run as child processes: " + children);
            Matcher ingest = INGEST.matcher(addresses.group(0));
            if (Files.isRegularFile(ingestJar)) {
                // In a full build the ingest module is packaged before this one: up must serve it.
                assertTrue(ingest.find(), "up started the ingest service");
                var http = java.net.http.HttpClient.newHttpClient();
                var ready = http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(ingest.group(1) + "/q/health/ready"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode(), ready.body());
            } else {
                assertTrue(read(dir.resolve("up.err")).contains("not built: " + ingestJar), "says ingest is missing");
            }

            DocumentStatus sent = DocumentStatus.newBuilder()
                    .setDocumentId("doc-up")
                    .setState(DocumentState.COMPLETED)
                    .setPagesDone(3)
                    .setPageCount(3)
                    .setAt(Instant.ofEpochMilli(1_790_000_000_000L))
                    .build();
            try (var client = RegistryClients.of(registry);
                    var producer = new KafkaProducer<>(
                            Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                            new StringSerializer(),
                            Topics.DOCUMENTS_STATUS.valueSerde(client, true).serializer())) {
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS_STATUS.name(), "doc-up", sent))
                        .get(30, TimeUnit.SECONDS);
            }

            Process watch = CliProcess.start(
                    dir.resolve("watch.err"),
                    "watch",
                    "--json",
                    "--from-beginning",
                    "--max-records",
                    "1",
                    "--bootstrap",
                    bootstrap,
                    "--registry",
                    registry,
                    "--topic",
                    Topics.DOCUMENTS_STATUS.name());
            String printed = new String(watch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, watch.exitValue(), read(dir.resolve("watch.err")));
            assertTrue(
                    printed.contains("\"topic\":\"documents.status\"")
                            && printed.contains("\"key\":\"doc-up\"")
                            && printed.contains("\"state\": \"COMPLETED\"")
                            && printed.contains("\"pagesDone\": 3"),
                    printed);
        } finally {
            new ProcessBuilder("kill", "-INT", String.valueOf(up.pid())).start().waitFor();
            boolean exited = up.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                up.descendants().forEach(ProcessHandle::destroyForcibly);
                up.destroyForcibly();
            }
            assertTrue(exited, "up did not stop on SIGINT");
        }
        assertEquals(130, up.exitValue(), "the conventional exit status after Ctrl-C");
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "orphan left running: " + child.info());
        }
    }

    private static Matcher awaitAddresses(BufferedReader lines) {
        try {
            for (String line; (line = lines.readLine()) != null; ) {
                Matcher m = ADDRESSES.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no " + file + ")";
        }
    }
}
