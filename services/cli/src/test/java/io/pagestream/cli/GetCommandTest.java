package io.pagestream.cli;

import static io.pagestream.cli.ResultsApiStub.closed;
import static io.pagestream.cli.ResultsApiStub.ok;
import static io.pagestream.cli.ResultsApiStub.unavailable;
import static io.pagestream.cli.ResultsApiStub.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pagestream get} against a stand-in of the results API serving canned views. */
class GetCommandTest {
    private final ResultsApiStub api = new ResultsApiStub();

    @AfterEach
    void stop() {
        api.close();
    }

    private CommandRun get(String... args) {
        return CommandRun.against(api.url(), "get", args);
    }

    @Test
    void aCompletedDocumentPrintsItsMarkdownTextOrWholeView() throws Exception {
        ObjectNode view =
                closed("d-1", "COMPLETED", 2, List.of("# Invoice\n\n| a | b |\n|---|---|\n| 1 | 2 |", "Thanks."));
        api.answer("d-1", ok(view));

        CommandRun markdown = get("d-1");
        assertEquals(0, markdown.exit(), markdown.err());
        assertEquals(
                "<!-- page 1 -->\n# Invoice\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<!-- page 2 -->\nThanks.\n",
                markdown.out());
        assertEquals("", markdown.err());

        CommandRun text = get("d-1", "--format", "text");
        assertEquals(0, text.exit(), text.err());
        assertEquals("# Invoice\n\n| a | b |\n|---|---|\n| 1 | 2 |\fThanks.\n", text.out());

        CommandRun json = get("d-1", "--format", "JSON");
        assertEquals(0, json.exit(), json.err());
        assertEquals(view, ResultsApiStub.JSON.readTree(json.out()), "the whole view");
        assertTrue(json.out().lines().count() > 20, "pretty-printed: " + json.out());
        JsonNode structure = ResultsApiStub.JSON.readTree(json.out()).at("/results/pages/0/structure/markdown");
        assertTrue(structure.asText().startsWith("# Invoice"), "each page's structure is there");

        assertTrue(api.requestsFor("d-1").stream().allMatch(r -> r.query().equals("results=true")));
    }

    @Test
    void outWritesTheFileAndCredentialsAreSent(@TempDir Path dir) throws Exception {
        api.answer("d-2", ok(closed("d-2", "COMPLETED", 1, List.of("only page"))));
        Path file = dir.resolve("d-2.md");
        CommandRun run = get("d-2", "--out", file.toString(), "--api-key", "k-123");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.out(), "nothing on stdout");
        assertEquals("<!-- page 1 -->\nonly page\n", Files.readString(file));
        assertEquals("k-123", api.requestsFor("d-2").getFirst().apiKey());
    }

    @Test
    void aDocumentStillProcessingIsSaidOnStderrWithItsOwnExitStatus() {
        api.answer("d-3", ok(view("d-3", "PROCESSING", 3, 10)));
        CommandRun run = get("d-3");
        assertEquals(ExitCodes.PROCESSING, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().contains("d-3 is still PROCESSING: 3 of 10 pages done"), run.err());
        assertTrue(run.err().contains("./pagestream wait d-3"), run.err());
    }

    @Test
    void anIncompleteDocumentPrintsWhatThereIsAndSaysWhatIsMissing() {
        api.answer("d-4", ok(closed("d-4", "INCOMPLETE", 3, List.of("one", "two"), 2)));
        CommandRun run = get("d-4");
        assertEquals(ExitCodes.INCOMPLETE, run.exit(), run.err());
        assertEquals("<!-- page 1 -->\none\n\n<!-- page 2 -->\ntwo\n", run.out());
        assertTrue(run.err().contains("d-4 is INCOMPLETE: 2 of 3 pages done, missing pages [3]"), run.err());
    }

    @Test
    void anUnknownDocumentIsA404WithItsOwnExitStatus() {
        CommandRun run = get("nobody");
        assertEquals(ExitCodes.NOT_FOUND, run.exit());
        assertEquals("", run.out());
        assertTrue(
                run.err().contains("unknown document nobody: unknown document: never seen by the assembler"),
                run.err());
    }

    @Test
    void a503IsAskedAgainAfterItsRetryAfterAndGivenUpAfterTheRetries() {
        api.answer("d-5", unavailable("d-5", 1), ok(closed("d-5", "COMPLETED", 1, List.of("late"))));
        CommandRun run = get("d-5");
        assertEquals(0, run.exit(), run.err());
        assertEquals("<!-- page 1 -->\nlate\n", run.out());
        assertTrue(
                run.err()
                        .contains("the results API is unavailable (the state stores are rebalancing); "
                                + "asking again in 1 s"),
                run.err());
        List<ResultsApiStub.Request> asked = api.requestsFor("d-5");
        assertEquals(2, asked.size());
        assertTrue(asked.get(1).nanos() - asked.get(0).nanos() >= 950_000_000L, "waited the Retry-After second");

        api.answer("d-6", unavailable("d-6", 0));
        CommandRun gaveUp = get("d-6", "--retries", "2");
        assertEquals(ExitCodes.FAILED, gaveUp.exit());
        assertEquals(3, api.requestsFor("d-6").size(), "the first try and two retries");
        assertTrue(gaveUp.err().contains("gave up after 2 retries"), gaveUp.err());
    }

    @Test
    void resultsWithoutTheFormatAskedForAreAFailureThatPointsToJson() {
        ObjectNode noOcr = view("d-7", "COMPLETED", 1, 1);
        noOcr.putObject("results").putNull("pages").putNull("fullText").putArray("questions");
        api.answer("d-7", ok(noOcr));
        CommandRun run = get("d-7", "--format", "markdown");
        assertEquals(ExitCodes.FAILED, run.exit());
        assertTrue(
                run.err().contains("d-7 has no markdown in its results")
                        && run.err().contains("--format json"),
                run.err());
    }

    @Test
    void anUnreachableApiAndABadFormatAreClearFailures() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StringWriter err = new StringWriter();
        int exit = Main.commandLine()
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err))
                .execute("get", "--url", "http://127.0.0.1:" + closedPort, "d-8");
        assertEquals(ExitCodes.FAILED, exit);
        assertTrue(
                err.toString().contains("cannot reach the results API at http://127.0.0.1:" + closedPort),
                err.toString());

        CommandRun bad = get("d-8", "--format", "pdf");
        assertEquals(2, bad.exit(), "a usage error");
        assertTrue(bad.err().contains("pdf"), bad.err());
        assertTrue(api.requestsFor("d-8").isEmpty(), "nothing asked");
    }
}
