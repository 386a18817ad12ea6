package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pagestream up} keeps its services running: the packaged ingest (built by the reactor before this module),
 * killed with SIGKILL, is started again by {@code up} with the same command line, answers ready on the same ports, and
 * {@code up} says so in one line; Ctrl-C then stops the restarted one too.
 */
@IntegrationTest
class UpRestartIT {
    private static final Path INGEST_JAR = Path.of("../ingest/target/quarkus-app/quarkus-run.jar");
    private static final Pattern INGEST = Pattern.compile("\"ingest\":\"([^\"]+)\"");
    private static final Pattern INGEST_MANAGEMENT = Pattern.compile("\"ingestManagement\":\"([^\"]+)\"");
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKilledServiceIsRestartedOnTheSamePorts(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(INGEST_JAR), "the reactor packages ingest before this module: " + INGEST_JAR);
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
                INGEST_JAR.toString(),
                "--worker-jar",
                dir.resolve("no-worker.jar").toString(),
                "--assembler-jar",
                dir.resolve("no-assembler.jar").toString(),
                "--data-dir",
                dir.resolve("run").toString());
        List<String> printed = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> collect(up, printed));
        try {
            Wait.upTo(READY_WITHIN).until(() -> addresses(printed).isPresent() || !up.isAlive());
            String addresses = addresses(printed)
                    .orElseThrow(() -> new AssertionError("up never printed its addresses: " + read(dir, "up.err")));
            String api = group(INGEST, addresses);
            String management = group(INGEST_MANAGEMENT, addresses);
            ProcessHandle first = ingest(up);
            String command = first.info().commandLine().orElseThrow();
            assertEquals(200, status(management + "/q/health/ready"));

            first.destroyForcibly(); // SIGKILL
            Wait.upTo(Duration.ofSeconds(30))
                    .until(() -> printed.contains("ingest exited with status 137; restarting in 1 s (restart 1)"));
            Wait.upTo(READY_WITHIN).until(() -> status(management + "/q/health/ready") == 200);
            ProcessHandle second = ingest(up);
            assertNotEquals(first.pid(), second.pid(), "a new process");
            assertEquals(command, second.info().commandLine().orElseThrow(), "the same command line, ports included");
            assertTrue(status(api + "/v1/documents") > 0, "the API port answers again");
            String log = read(dir, "run/ingest.log");
            assertEquals(2, log.split(Pattern.quote("Listening on: " + api), -1).length - 1, "one log, appended to");
            assertTrue(up.isAlive(), "up keeps running");
        } finally {
            List<ProcessHandle> children = up.descendants().toList();
            new ProcessBuilder("kill", "-INT", String.valueOf(up.pid())).start().waitFor();
            boolean exited = up.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                up.descendants().forEach(ProcessHandle::destroyForcibly);
                up.destroyForcibly();
            }
            assertTrue(exited, "up did not stop on SIGINT");
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(child.isAlive(), "orphan left running: " + child.info());
            }
        }
        assertEquals(130, up.exitValue(), "the conventional exit status after Ctrl-C");
        assertFalse(
                printed.stream().anyMatch(line -> line.contains("restarting") && !line.contains("(restart 1)")),
                "nothing restarted while stopping: " + printed);
    }

    /** The child of up that runs the ingest jar (up shares this test's working directory, so its path is the same). */
    private static ProcessHandle ingest(Process up) {
        String jar = INGEST_JAR.toAbsolutePath().toString();
        List<ProcessHandle> ingest = up.children()
                .filter(child -> child.info().commandLine().orElse("").contains(jar))
                .toList();
        assertEquals(
                1,
                ingest.size(),
                () -> "one ingest: " + ingest.stream().map(ProcessHandle::info).toList());
        return ingest.getFirst();
    }

    private int status(String url) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Optional<String> addresses(List<String> printed) {
        return printed.stream().filter(line -> line.startsWith("{\"kafka\":")).findFirst();
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), pattern + " in " + text);
        return m.group(1);
    }

    private static void collect(Process up, List<String> printed) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                printed.add(line);
            }
        } catch (IOException e) {
            // up ended: what it printed is in
        }
    }

    private static String read(Path dir, String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }
}
