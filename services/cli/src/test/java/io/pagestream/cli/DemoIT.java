package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.cli.model.DemoModel;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The real demo, as {@code ./pagestream demo} runs it: the broker, the registry and the three packaged services (built
 * by the reactor before this module) on the random model, the bundled samples through ingest's REST API in markdown
 * mode. Every sample must come out COMPLETED, its markdown with one {@code <!-- page N -->} section per page in order
 * (the random model's words mean nothing, the structure does) and one answer per question, and nothing the demo
 * started may be left running. Tracing is on ({@code --otlp-endpoint}, OTLP/HTTP to an {@link OtlpReceiver}): each
 * document's spans from the three packaged services must form one trace.
 */
@IntegrationTest
class DemoIT {
    /** What the sample files are: the PDF has two pages, the receipt is one image. */
    private static final Map<String, Integer> PAGES = Map.of("invoice-and-letter.pdf", 2, "scanned-receipt.jpg", 1);

    private static final Pattern PAGE_MARKER = Pattern.compile("(?m)^<!-- page (\\d+) -->$");

    /** How long the spans may take to arrive after the demo returned: the services export them as they stop. */
    private static final Duration SPANS_WITHIN = Duration.ofSeconds(15);

    @Test
    void everySampleComesOutWholeInOneTraceAndNothingIsLeftRunning() throws Exception {
        try (OtlpReceiver collector = new OtlpReceiver()) {
            Map<String, Integer> documents = runDemo(collector);
            // The demo waits for each child to end before it returns: anything still running now is an orphan.
            List<ProcessHandle> left = ProcessHandle.current()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .toList();
            assertTrue(
                    left.isEmpty(),
                    "no child process left: "
                            + left.stream().map(ProcessHandle::info).toList());
            documents.forEach((id, pages) -> assertOneTrace(collector, id, pages));
        }
    }

    /** Runs the demo with tracing sent to {@code collector}, checks its output and returns each document's pages. */
    private static Map<String, Integer> runDemo(OtlpReceiver collector) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cli.execute(
                "--samples",
                DemoCommandTest.SAMPLES.toString(),
                "--checkout",
                "../..",
                "--data-dir",
                "target/demo-it/run",
                "--model-cache",
                "target/demo-it/model",
                "--timeout",
                "4m",
                "--otlp-endpoint",
                collector.endpoint(),
                "--otlp-protocol",
                TracingOptions.HTTP_PROTOBUF);
        System.out.printf(
                "[demo-it] the demo took %.0f s; its progress:%n%s%nits output:%n%s%n",
                (System.nanoTime() - start) / 1e9, err, out);
        assertEquals(0, exit, "exit status; stderr:\n" + err);
        assertTrue(err.toString().contains(DemoModel.WARNING), "says loudly that the model is random");
        for (String sample : PAGES.keySet()) {
            // The status URL ingest handed out is the assembler's, and it knows the document is done.
            Pattern queried = Pattern.compile(Pattern.quote(sample)
                    + ": GET http://127\\.0\\.0\\.1:\\d+/v1/documents/[0-9a-f-]{36} -> 200 COMPLETED");
            assertTrue(queried.matcher(err.toString()).find(), sample + " status URL; stderr:\n" + err);
        }

        Map<String, String> sections = sections(out.toString());
        List<Samples.Sample> samples = Samples.load(DemoCommandTest.SAMPLES);
        Map<String, Integer> documents = new HashMap<>();
        assertEquals(2 * samples.size(), sections.size(), "an OCR and an answers section per sample: " + out);
        for (Samples.Sample sample : samples) {
            int pages = PAGES.get(sample.name());
            String ocrHeading = sections.keySet().stream()
                    .filter(h -> h.startsWith("== OCR of " + sample.name() + "  "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(sample.name() + ": no OCR section: " + out));
            Matcher heading = Pattern.compile("\\(document ([0-9a-f-]{36}), (\\d+) pages?, RANDOM MODEL")
                    .matcher(ocrHeading);
            assertTrue(heading.find(), ocrHeading);
            assertEquals(pages, Integer.parseInt(heading.group(2)), ocrHeading);
            documents.put(heading.group(1), pages);
            assertPageSections(sample.name(), sections.get(ocrHeading), pages);

            String answers = sections.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("== Answers for " + sample.name() + "  "))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(sample.name() + ": no answers: " + out));
            // Each question in order, its answer on the next line (a random answer may run over several lines).
            List<String> lines = answers.lines().toList();
            List<Integer> asked = IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).startsWith("  Q: "))
                    .boxed()
                    .toList();
            assertEquals(
                    sample.questions(),
                    asked.stream().map(i -> lines.get(i).substring(5)).toList(),
                    answers);
            for (int q : asked) {
                String a = lines.get(q + 1);
                assertTrue(a.startsWith("  A: ") && !a.equals("  A: (no answer)"), "an answer: " + answers);
            }
            assertTrue(
                    err.toString().contains(sample.name() + ": COMPLETED (status event: " + pages + " of " + pages),
                    sample.name() + " COMPLETED; stderr:\n" + err);
        }
        return documents;
    }

    /** The output's sections by heading line ({@code == ... ===}), each the text up to the next heading. */
    private static Map<String, String> sections(String out) {
        Map<String, String> sections = new LinkedHashMap<>();
        String heading = null;
        StringBuilder body = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("== ") && line.endsWith("===")) {
                if (heading != null) {
                    sections.put(heading, body.toString());
                }
                heading = line;
                body.setLength(0);
            } else if (heading != null) {
                body.append(line).append('\n');
            }
        }
        if (heading != null) {
            sections.put(heading, body.toString());
        }
        return sections;
    }

    /** The markdown as the contract has it: {@code <!-- page N -->} for N = 1 … pages in order, each before text. */
    private static void assertPageSections(String sample, String markdown, int pages) {
        Matcher marker = PAGE_MARKER.matcher(markdown);
        List<Integer> numbers = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        while (marker.find()) {
            numbers.add(Integer.parseInt(marker.group(1)));
            starts.add(marker.start());
        }
        assertEquals(IntStream.rangeClosed(1, pages).boxed().toList(), numbers, sample + " page markers: " + markdown);
        assertTrue(markdown.startsWith("<!-- page 1 -->\n"), sample + " starts with its first page: " + markdown);
        starts.add(markdown.length());
        for (int i = 0; i < pages; i++) {
            String page = markdown.substring(starts.get(i), starts.get(i + 1));
            String text = page.substring(page.indexOf('\n') + 1);
            assertTrue(!text.isBlank(), sample + " page " + (i + 1) + " has text: " + markdown);
            if (i + 1 < pages) {
                assertTrue(text.endsWith("\n\n"), sample + ": a blank line before the next page: " + markdown);
            }
        }
        assertTrue(!markdown.contains("FAILED"), sample + ": no failed page: " + markdown);
    }

    /**
     * As docs/observability.md has it: ingest's REST span, the worker's inference span of every page and the
     * assembler's document span, from the three services, in one trace; the worker's spans children of ingest's (the
     * page records carry its context), the assembler's a child of a worker span (the result that completed it).
     */
    private static void assertOneTrace(OtlpReceiver collector, String id, int pages) {
        Wait.atMost(SPANS_WITHIN, () -> complete(ofDocument(collector, id), pages));
        List<OtlpReceiver.Span> spans = ofDocument(collector, id);
        String all = id + ": " + spans + "\nof all received: " + collector.spans();
        assertEquals(
                1, spans.stream().map(OtlpReceiver.Span::traceId).distinct().count(), "one trace: " + all);
        OtlpReceiver.Span request = only(spans, "pagestream-ingest", "POST /v1/documents", all);
        List<OtlpReceiver.Span> inference = spans.stream()
                .filter(s -> s.name().equals("pagestream.worker.inference"))
                .toList();
        assertTrue(inference.stream().allMatch(s -> s.service().equals("pagestream-worker")), all);
        assertEquals(
                pages,
                inference.stream()
                        .map(s -> s.attributes().get("pagestream.page.index"))
                        .distinct()
                        .count(),
                "an inference span for every page: " + all);
        assertTrue(
                inference.stream().allMatch(s -> s.parentSpanId().equals(request.spanId())),
                "the inference spans are children of the REST span: " + all);
        OtlpReceiver.Span document = only(spans, "pagestream-assembler", "pagestream.assembler.document", all);
        assertEquals("COMPLETED", document.attributes().get("pagestream.document.outcome"), all);
        assertTrue(
                inference.stream().anyMatch(s -> s.spanId().equals(document.parentSpanId())),
                "the document span is the child of an inference span: " + all);
    }

    /** The spans that name the document, and any others of their traces. */
    private static List<OtlpReceiver.Span> ofDocument(OtlpReceiver collector, String id) {
        List<OtlpReceiver.Span> received = collector.spans();
        Set<String> traces = received.stream()
                .filter(s -> id.equals(s.attributes().get("pagestream.document.id")))
                .map(OtlpReceiver.Span::traceId)
                .collect(Collectors.toSet());
        return received.stream().filter(s -> traces.contains(s.traceId())).toList();
    }

    private static boolean complete(List<OtlpReceiver.Span> spans, int pages) {
        Set<String> names = spans.stream().map(OtlpReceiver.Span::name).collect(Collectors.toSet());
        return names.containsAll(Set.of("POST /v1/documents", "pagestream.assembler.document"))
                && spans.stream()
                                .filter(s -> s.name().equals("pagestream.worker.inference"))
                                .map(s -> s.attributes().get("pagestream.page.index"))
                                .distinct()
                                .count()
                        >= pages;
    }

    private static OtlpReceiver.Span only(List<OtlpReceiver.Span> spans, String service, String name, String all) {
        List<OtlpReceiver.Span> named =
                spans.stream().filter(s -> s.name().equals(name)).toList();
        assertEquals(1, named.size(), "one " + name + " span: " + all);
        assertEquals(service, named.getFirst().service(), name + " from " + service + ": " + all);
        return named.getFirst();
    }
}
