package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.testing.IntegrationTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code demo --secure} as {@code ./pagestream} runs it, on the packaged services: every check it makes passes, among
 * them each that the secured deployment asks for, the samples complete, and nothing is left running.
 */
@IntegrationTest
class SecureDemoIT {

    @Test
    void everyCheckPassesAndTheSamplesComplete() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = new CommandLine(new DemoCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(
                        "--secure",
                        "--samples",
                        DemoCommandTest.SAMPLES.toString(),
                        "--checkout",
                        "../..",
                        "--data-dir",
                        "target/secure-demo-it/run",
                        "--model-cache",
                        "target/demo-it/model",
                        "--timeout",
                        "4m");
        System.out.printf(
                "[secure-demo-it] the demo took %.0f s; its progress:%n%s%n", (System.nanoTime() - start) / 1e9, err);

        assertEquals(0, exit, "exit status; stderr:\n" + err);
        List<String> checks = err.toString()
                .lines()
                .filter(l -> l.startsWith("PASS  ") || l.startsWith("FAIL  "))
                .toList();
        assertTrue(checks.stream().allMatch(l -> l.startsWith("PASS  ")), String.join("\n", checks));
        for (String expected : List.of(
                "a plaintext Kafka client without a login is refused: ",
                "User:pagestream-watch with a wrong password is refused: SaslAuthenticationException",
                "User:pagestream-worker writing to documents.requests is refused by ACL: TopicAuthorizationException",
                "/v1/documents without an API key is refused: HTTP 401",
                "invoice-and-letter.pdf: GET with the API key right after the 202 answers ACCEPTED or later",
                "scanned-receipt.jpg: GET http://",
                "the outputs are read with watch --command-config ")) {
            assertTrue(
                    checks.stream().anyMatch(l -> l.contains(expected)),
                    expected + " in\n" + String.join("\n", checks));
        }
        assertTrue(err.toString().contains("Every security check passed."), err.toString());
        assertTrue(
                ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive),
                "no child process is left running");
    }
}
