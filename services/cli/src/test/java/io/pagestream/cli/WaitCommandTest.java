package io.pagestream.cli;

import static io.pagestream.cli.ResultsApiStub.notFound;
import static io.pagestream.cli.ResultsApiStub.ok;
import static io.pagestream.cli.ResultsApiStub.unavailable;
import static io.pagestream.cli.ResultsApiStub.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pagestream wait} against a stand-in of the results API whose canned views move on with each request. stderr
 * is no terminal here, so progress comes as one line per change.
 */
class WaitCommandTest {
    private final ResultsApiStub api = new ResultsApiStub();

    @AfterEach
    void stop() {
        api.close();
    }

    private CommandRun waitFor(String... args) {
        return CommandRun.against(api.url(), "wait", args);
    }

    @Test
    void processingThenCompletedPrintsALinePerChangeAndExitsZero() {
        api.answer(
                "a",
                ok(view("a", "PROCESSING", 0, null)),
                ok(view("a", "PROCESSING", 1, 2)),
                ok(view("a", "PROCESSING", 1, 2)),
                ok(view("a", "PROCESSING", 1, 2)),
                ok(view("a", "COMPLETED", 2, 2)));
        api.answer("b", ok(view("b", "COMPLETED", 3, 3)));
        CommandRun run = waitFor("a", "b");
        assertEquals(0, run.exit(), run.err());
        assertEquals(
                List.of("a: 0/? pages", "b: COMPLETED, 3/3 pages", "a: 1/2 pages", "a: COMPLETED, 2/2 pages"),
                run.err().lines().toList());
        assertEquals("", run.out());
        assertEquals(5, api.requestsFor("a").size(), "asked until closed, then no more");
        assertEquals(1, api.requestsFor("b").size());
        assertTrue(api.requests.stream().allMatch(r -> r.query().equals("results=false")), "state only");
    }

    @Test
    void pollsBackOffWhileNothingChanges() {
        api.answer("slow", ok(view("slow", "PROCESSING", 1, 5)));
        long t0 = System.nanoTime();
        CommandRun run = waitFor("slow", "--timeout", "4s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(ExitCodes.TIMEOUT, run.exit());
        assertTrue(run.err().contains("timed out after PT4S waiting for slow"), run.err());
        assertEquals(
                1, run.err().lines().filter(l -> l.equals("slow: 1/5 pages")).count(), run.err());
        assertTrue(seconds >= 4 && seconds < 8, "gave up at the timeout: " + seconds);
        // 0.25, 0.5, 1, 2 s apart: 5 or 6 requests in 4 s; polling every 0.25 s would make 16.
        int asked = api.requestsFor("slow").size();
        assertTrue(asked >= 4 && asked <= 7, asked + " requests");
    }

    @Test
    void a503IsAskedAgainAfterItsRetryAfter() {
        api.answer("c", unavailable("c", 1), ok(view("c", "COMPLETED", 1, 1)));
        CommandRun run = waitFor("c");
        assertEquals(0, run.exit(), run.err());
        assertTrue(
                run.err()
                        .contains("c: the results API is unavailable (the state stores are rebalancing); "
                                + "asking again in 1 s"),
                run.err());
        List<ResultsApiStub.Request> asked = api.requestsFor("c");
        assertEquals(2, asked.size());
        assertTrue(asked.get(1).nanos() - asked.get(0).nanos() >= 950_000_000L, "waited the Retry-After second");
    }

    @Test
    void anUnknownDocumentGetsAGracePeriodThenItsOwnExitStatus() {
        api.answer("late", notFound("late"), notFound("late"), ok(view("late", "COMPLETED", 1, 1)));
        CommandRun found = waitFor("late", "--not-found-grace", "10s");
        assertEquals(0, found.exit(), found.err());
        assertTrue(found.err().contains("late: not known yet (404); asking again"), found.err());

        long t0 = System.nanoTime();
        CommandRun unknown = waitFor("ghost", "--not-found-grace", "1s");
        assertEquals(ExitCodes.NOT_FOUND, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("ghost: unknown document (unknown document: never seen"), unknown.err());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "gave up after the grace, not the timeout");
    }

    @Test
    void anIncompleteDocumentHasItsOwnExitStatusAndAnUnknownOneComesFirst() {
        api.answer("part", ok(view("part", "INCOMPLETE", 2, 4, 1, 3)));
        api.answer("whole", ok(view("whole", "COMPLETED", 1, 1)));
        CommandRun run = waitFor("part", "whole");
        assertEquals(ExitCodes.INCOMPLETE, run.exit(), run.err());
        assertTrue(run.err().contains("part: INCOMPLETE, 2/4 pages, missing pages [2, 4], failed pages []"), run.err());

        CommandRun mixed = waitFor("part", "ghost", "--not-found-grace", "0s");
        assertEquals(ExitCodes.NOT_FOUND, mixed.exit(), mixed.err());
    }
}
