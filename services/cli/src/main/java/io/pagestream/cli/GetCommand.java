package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * One document's results from the results API: its markdown, its plain text, or the whole JSON view. A document still
 * PROCESSING has no results yet: that is said on stderr with its own exit status, and nothing is printed. A 503
 * (the assembler starting or rebalancing) is asked again after its Retry-After.
 */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description =
                "Print a document's results: markdown (default), plain text, or the JSON view with every page's structure.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:COMPLETED: the results were printed",
            "1:the API could not be reached, kept answering 503, or the results lack the format asked for",
            "2:bad usage",
            "3:INCOMPLETE: the partial results were printed",
            "4:unknown document (404)",
            "5:still PROCESSING: nothing printed (./pagestream wait ID)"
        })
final class GetCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to print of the view. */
    enum Format {
        /** {@code results.markdown}: the pages' markdown, each after a {@code <!-- page N -->} line. */
        MARKDOWN,
        /** {@code results.fullText}: the pages' text separated by form feeds. */
        TEXT,
        /** The whole view, pretty-printed: state, progress, every page with its structure, the answers. */
        JSON
    }

    @Parameters(index = "0", paramLabel = "ID", description = "The document id (submit prints it).")
    String documentId;

    @Option(
            names = "--format",
            defaultValue = "MARKDOWN",
            paramLabel = "FORMAT",
            description = "markdown, text or json. Default: markdown.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the results to FILE instead of stdout.")
    Path out;

    @Option(
            names = "--retries",
            defaultValue = "10",
            description = "Times a 503 is asked again, after its Retry-After. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Mixin
    ResultsApiOptions api;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        URI url = api.documentUrl(documentId);
        DocumentQuery query = api.query();
        for (int attempt = 0; ; attempt++) {
            DocumentQuery.Answer answer;
            try {
                answer = query.get(url, true);
            } catch (IOException e) {
                err.println("cannot reach the results API at " + api.url + ": "
                        + (e.getMessage() == null ? e : e.getMessage()));
                return ExitCodes.FAILED;
            }
            switch (answer.httpStatus()) {
                case 200 -> {
                    return closedOrNot(answer, err);
                }
                case 404 -> {
                    err.println("unknown document " + documentId + ": " + answer.error());
                    return ExitCodes.NOT_FOUND;
                }
                case 503 -> {
                    if (attempt >= retries) {
                        err.println("the results API is unavailable (" + answer.error() + "); gave up after " + retries
                                + " retries");
                        return ExitCodes.FAILED;
                    }
                    err.println("the results API is unavailable (" + answer.error() + "); asking again in "
                            + answer.retryAfter().toSeconds() + " s");
                    err.flush();
                    Thread.sleep(answer.retryAfter().toMillis());
                }
                default -> {
                    err.println("GET " + url + " answered " + answer.httpStatus() + ": " + answer.error());
                    return ExitCodes.FAILED;
                }
            }
        }
    }

    private int closedOrNot(DocumentQuery.Answer answer, PrintWriter err) throws IOException {
        if (!answer.closed()) {
            err.printf(
                    "%s is still %s: %d of %s pages done; its results come once it is closed (./pagestream wait %s)%n",
                    documentId,
                    answer.state(),
                    answer.pagesDone(),
                    answer.pageCount() == null ? "?" : answer.pageCount(),
                    documentId);
            return ExitCodes.PROCESSING;
        }
        String content = content(answer.body());
        if (content == null) {
            err.println(
                    documentId + " has no " + (format == Format.MARKDOWN ? "markdown" : "text")
                            + " in its results (OCR was not asked for, or the API predates it); --format json shows all it has");
            return ExitCodes.FAILED;
        }
        String text = content.endsWith("\n") ? content : content + "\n";
        if (out != null) {
            Files.writeString(out, text);
        } else {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(text);
            stdout.flush();
        }
        if (!answer.completed()) {
            err.printf(
                    "%s is INCOMPLETE: %d of %s pages done, missing pages %s, failed pages %s; printed what there is%n",
                    documentId, answer.pagesDone(), answer.pageCount(), answer.missingPages(), answer.failedPages());
            return ExitCodes.INCOMPLETE;
        }
        return 0;
    }

    /** The part of the view the format asks for; null when the view lacks it. */
    private String content(JsonNode view) throws IOException {
        return switch (format) {
            case JSON -> JSON.writerWithDefaultPrettyPrinter().writeValueAsString(view);
            case MARKDOWN -> textOrNull(view.path("results").path("markdown"));
            case TEXT -> textOrNull(view.path("results").path("fullText"));
        };
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
