package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.testing.IntegrationTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code chaos} on the packaged services (built by the reactor before this module): 20 pages through one worker while
 * the worker is killed twice, the assembler once and the broker is killed and restarted once. Every document must come
 * out whole and once, on every topic, and no child process may be left.
 */
@IntegrationTest
class ChaosIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killsAndABrokerRestartLoseAndDuplicateNothing() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ChaosCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cli.execute(
                "--pages",
                "20",
                "--baseline-pages",
                "0",
                "--workers",
                "1",
                "--kill",
                "worker:2,assembler:1",
                "--restart-broker",
                "1",
                "--json",
                "--checkout",
                "../..",
                "--data-dir",
                "target/chaos-it/run",
                // The demo's tiny random model: written once for both tests.
                "--model-cache",
                "target/demo-it/model",
                "--timeout",
                "4m");
        System.out.printf("[chaos-it] %.0f s; stderr:%n%s%nreport: %s%n", (System.nanoTime() - start) / 1e9, err, out);

        JsonNode report = JSON.readTree(out.toString());
        JsonNode chaos = report.path("chaos");
        assertEquals(20, chaos.path("pages").asInt(), out.toString());
        assertEquals(4, chaos.path("faults").size(), "every planned fault struck: " + chaos.path("faults"));
        assertTrue(chaos.path("allClosed").asBoolean(), "every document closed: " + out);
        assertEquals(0, chaos.path("documentsLost").asInt(), out.toString());
        assertEquals(0, chaos.path("pagesLost").asInt(), out.toString());
        assertEquals(0, chaos.path("split").asInt(), out.toString());
        chaos.path("duplicates")
                .properties()
                .forEach(e -> assertEquals(0, e.getValue().asInt(), e.getKey()));
        assertEquals(8, chaos.path("duplicates").size(), "every topic audited: " + chaos.path("duplicates"));
        assertTrue(report.path("passed").asBoolean());
        assertEquals(0, exit, "exit status; stderr:\n" + err);

        List<ProcessHandle> left = ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .toList();
        assertTrue(
                left.isEmpty(),
                "no child process left: "
                        + left.stream().map(ProcessHandle::info).toList());
    }
}
