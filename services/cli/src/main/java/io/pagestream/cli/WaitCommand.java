package io.pagestream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Waits until every document named is closed, asking the results API for each one's state (without results) with
 * backoff: quickly while something changes, then less and less often. A 503 is asked again after its Retry-After; an
 * unreachable API is asked again like any other poll (the assembler may be restarting) until the timeout. A document
 * the API does not know yet (404) is asked for during a grace period: right after {@code submit} its request may still
 * be on its way to the assembler.
 */
@Command(
        name = "wait",
        mixinStandardHelpOptions = true,
        description = "Wait until the documents are done; progress on stderr (id: pages done/pages).",
        exitCodeListHeading = "%nExit status (the first that applies):%n",
        exitCodeList = {
            "1:a document could not be asked for (the API answered an unexpected status)",
            "2:bad usage",
            "4:a document is unknown (404 past the grace period)",
            "6:the timeout passed with a document still PROCESSING",
            "3:a document was closed INCOMPLETE",
            "0:every document is COMPLETED"
        })
final class WaitCommand implements Callable<Integer> {
    /** First pause between polls, and the pause again whenever something changed. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    /** Longest pause between polls while nothing changes. */
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Document ids (submit prints them).")
    List<String> documentIds;

    @Option(
            names = "--timeout",
            defaultValue = "30m",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Give up after this long: 90s, 10m, 1h or PT10M. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(
            names = "--not-found-grace",
            defaultValue = "30s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "How long a document the API does not know (404) is asked for again before it counts as unknown. Default: ${DEFAULT-VALUE}.")
    Duration notFoundGrace;

    @Mixin
    ResultsApiOptions api;

    @Spec
    CommandSpec spec;

    /** Where one document stands. */
    private enum Outcome {
        OPEN,
        COMPLETED,
        INCOMPLETE,
        NOT_FOUND,
        FAILED
    }

    private static final class Tracked {
        final String id;
        final URI url;
        Outcome outcome = Outcome.OPEN;
        long notFoundSince = -1;
        long nextPoll;

        Tracked(String id, URI url) {
            this.id = id;
            this.url = url;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ProgressLines progress = new ProgressLines(err, ProgressLines.onTerminal());
        DocumentQuery query = api.query();
        Map<String, Tracked> documents = new LinkedHashMap<>();
        for (String id : documentIds) {
            documents.putIfAbsent(id, new Tracked(id, api.documentUrl(id)));
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Duration pause = FIRST_PAUSE;
        boolean timedOut = false;
        try {
            while (true) {
                boolean changed = false;
                for (Tracked doc : documents.values()) {
                    if (doc.outcome == Outcome.OPEN && System.nanoTime() >= doc.nextPoll) {
                        changed |= poll(doc, query, progress, pause);
                    }
                }
                List<Tracked> open = documents.values().stream()
                        .filter(d -> d.outcome == Outcome.OPEN)
                        .toList();
                if (open.isEmpty()) {
                    break;
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    timedOut = true;
                    break;
                }
                pause = changed ? FIRST_PAUSE : min(pause.multipliedBy(2), LONGEST_PAUSE);
                long next = open.stream().mapToLong(d -> d.nextPoll).min().orElse(now);
                Thread.sleep(Duration.ofNanos(Math.min(Math.max(next - now, 0), deadline - now))
                                .toMillis()
                        + 1);
            }
        } finally {
            progress.finish();
        }
        return exitStatus(documents.values(), timedOut, err);
    }

    /** Asks for one document and updates its line; true when its line changed. */
    private boolean poll(Tracked doc, DocumentQuery query, ProgressLines progress, Duration pause)
            throws InterruptedException {
        long now = System.nanoTime();
        doc.nextPoll = now + pause.toNanos();
        String line;
        DocumentQuery.Answer answer;
        try {
            answer = query.get(doc.url, false);
        } catch (IOException e) {
            return progress(
                    progress,
                    doc,
                    doc.id + ": the results API at " + api.url + " is unreachable ("
                            + (e.getMessage() == null ? e : e.getMessage()) + "); asking again");
        }
        switch (answer.httpStatus()) {
            case 200 -> {
                doc.notFoundSince = -1;
                String pages =
                        answer.pagesDone() + "/" + (answer.pageCount() == null ? "?" : answer.pageCount()) + " pages";
                if (answer.completed()) {
                    doc.outcome = Outcome.COMPLETED;
                    line = doc.id + ": COMPLETED, " + pages;
                } else if (answer.closed()) {
                    doc.outcome = Outcome.INCOMPLETE;
                    line = doc.id + ": INCOMPLETE, " + pages + ", missing pages " + answer.missingPages()
                            + ", failed pages " + answer.failedPages();
                } else {
                    line = doc.id + ": " + pages;
                }
            }
            case 404 -> {
                if (doc.notFoundSince < 0) {
                    doc.notFoundSince = now;
                }
                if (now - doc.notFoundSince >= notFoundGrace.toNanos()) {
                    doc.outcome = Outcome.NOT_FOUND;
                    line = doc.id + ": unknown document (" + answer.error() + ")";
                } else {
                    line = doc.id + ": not known yet (404); asking again";
                }
            }
            case 503 -> {
                doc.nextPoll =
                        now + Math.max(pause.toNanos(), answer.retryAfter().toNanos());
                line = doc.id + ": the results API is unavailable (" + answer.error() + "); asking again in "
                        + Math.max(1, answer.retryAfter().toSeconds()) + " s";
            }
            default -> {
                doc.outcome = Outcome.FAILED;
                line = doc.id + ": GET " + doc.url + " answered " + answer.httpStatus() + ": " + answer.error();
            }
        }
        return progress(progress, doc, line);
    }

    private static boolean progress(ProgressLines progress, Tracked doc, String line) {
        return progress.update(doc.id, line, doc.outcome != Outcome.OPEN);
    }

    private int exitStatus(Iterable<Tracked> documents, boolean timedOut, PrintWriter err) {
        List<String> open = new ArrayList<>();
        boolean failed = false;
        boolean notFound = false;
        boolean incomplete = false;
        for (Tracked doc : documents) {
            switch (doc.outcome) {
                case OPEN -> open.add(doc.id);
                case FAILED -> failed = true;
                case NOT_FOUND -> notFound = true;
                case INCOMPLETE -> incomplete = true;
                case COMPLETED -> {}
            }
        }
        if (timedOut) {
            err.println("timed out after " + timeout + " waiting for " + String.join(", ", open));
        }
        if (failed) {
            return ExitCodes.FAILED;
        }
        if (notFound) {
            return ExitCodes.NOT_FOUND;
        }
        if (timedOut) {
            return ExitCodes.TIMEOUT;
        }
        return incomplete ? ExitCodes.INCOMPLETE : 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
