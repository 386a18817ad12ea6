package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.cli.model.DemoModel;
import io.pagestream.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The real demo, as {@code ./pagestream demo --json} runs it: the broker, the registry and the three packaged services
 * (built by the reactor before this module) on the random model, the bundled samples through ingest's REST API.
 * Every sample must come out COMPLETED with one OCR page per page and one answer set per question, and nothing the
 * demo started may be left running. Tracing is on ({@code --otlp-endpoint}, OTLP/HTTP to an {@link OtlpReceiver}): each
 * document's spans from the three packaged services must form one trace.
 */
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the sample files are: the PDF has two pages, the receipt is one image. */
    private static final Map<String, Integer> PAGES = Map.of("invoice-and-letter.pdf", 2, "scanned-receipt.jpg", 1);

    /** How long the spans may take to arrive after the demo returned: the services export them as they stop. */
    private static final Duration SPANS_WITHIN = Duration.ofSeconds(15);

    @Test
    void everySampleComesOutWholeInOneTraceAndNothingIsLeftRunning() throws Exception {
        try (OtlpReceiver collector = new OtlpReceiver()) {
            Map<String, Integer> documents = runDemo(collector);
            // The demo waits for each child to end before it returns: anything still running now is an orphan.
            List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            assertTrue(left.isEmpty(), "no child process left: " + left.stream().map(ProcessHandle::info).toList());
            documents.forEach((id, pages) -> assertOneTrace(collector, id, pages));
        }
    }

    /** Runs the demo with tracing sent to {@code collector}, checks its output and returns each document's pages. */
    private static Map<String, Integer> runDemo(OtlpReceiver collector) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cli.execute("--json", "--samples", DemoCommandTest.SAMPLES.toString(), "--checkout", "../..",
                "--data-dir", "target/demo-it/run", "--model-cache", "target/demo-it/model", "--timeout", "4m",
                "--otlp-endpoint", collector.endpoint(), "--otlp-protocol", TracingOptions.HTTP_PROTOBUF);
        System.out.printf("[demo-it] the demo took %.0f s; its progress:%n%s%n", (System.nanoTime() - start) / 1e9,
                err);
        assertEquals(0, exit, "exit status; stderr:\n" + err);
        assertTrue(err.toString().contains(DemoModel.WARNING), "says loudly that the model is random");
        for (String sample : PAGES.keySet()) {
            // The status URL ingest handed out is the assembler's, and it knows the document is done.
            Pattern queried = Pattern.compile(Pattern.quote(sample)
                    + ": GET http://127\\.0\\.0\\.1:\\d+/v1/documents/[0-9a-f-]{36} -> 200 COMPLETED");
            assertTrue(queried.matcher(err.toString()).find(), sample + " status URL; stderr:\n" + err);
        }

        Map<String, JsonNode> ocr = new HashMap<>();
        Map<String, JsonNode> answers = new HashMap<>();
        Map<String, List<String>> states = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            JsonNode record = JSON.readTree(line);
            JsonNode value = record.get("value");
            String id = value.get("documentId").asText();
            assertEquals(id, record.get("key").asText(), "keyed by document");
            switch (record.get("topic").asText()) {
                case Topics.DOCUMENT_OCR -> ocr.put(id, value);
                case Topics.DOCUMENT_ANSWERS -> answers.put(id, value);
                case Topics.DOCUMENT_STATUS -> states.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(value.get("state").asText());
                default -> throw new AssertionError("not an output topic: " + line);
            }
        }
        List<Samples.Sample> samples = Samples.load(DemoCommandTest.SAMPLES);
        Map<String, Integer> documents = new HashMap<>();
        assertEquals(samples.size(), ocr.size(), "one OCR record per sample: " + out);
        assertEquals(samples.size(), answers.size(), "one answers record per sample: " + out);
        for (Samples.Sample sample : samples) {
            int pages = PAGES.get(sample.name());
            JsonNode document = ocr.values().stream().filter(o -> o.get("pageCount").asInt() == pages
                    && o.get("pages").size() == pages).findFirst()
                    .orElseThrow(() -> new AssertionError(sample.name() + ": no OCR with " + pages + " pages: " + ocr));
            String id = document.get("documentId").asText();
            documents.put(id, pages);
            assertTrue(document.get("complete").asBoolean(), sample.name() + " complete");
            for (JsonNode page : document.get("pages")) {
                assertTrue(page.get("failure").isNull() && !page.get("text").asText().isEmpty(),
                        sample.name() + " page text: " + page);
            }
            JsonNode questions = answers.get(id).get("questions");
            assertEquals(sample.questions().size(), questions.size(), sample.name() + " answers: " + questions);
            for (int q = 0; q < questions.size(); q++) {
                assertEquals(sample.questions().get(q), questions.get(q).get("question").asText());
                assertTrue(questions.get(q).get("best").hasNonNull("text"), "an answer: " + questions.get(q));
            }
            assertEquals(List.of("ACCEPTED", "COMPLETED"), states.get(id), sample.name() + " status events");
        }
        return documents;
    }

    /**
     * As docs/observability.md has it: ingest's REST span, the worker's inference span of every page and the
     * assembler's document span, from the three services, in one trace; the worker's spans children of ingest's (the
     * page records carry its context), the assembler's a child of a worker span (the result that completed it).
     */
    private static void assertOneTrace(OtlpReceiver collector, String id, int pages) {
        long deadline = System.nanoTime() + SPANS_WITHIN.toNanos();
        List<OtlpReceiver.Span> spans = ofDocument(collector, id);
        while (!complete(spans, pages) && System.nanoTime() < deadline) {
            sleep();
            spans = ofDocument(collector, id);
        }
        String all = id + ": " + spans + "\nof all received: " + collector.spans();
        assertEquals(1, spans.stream().map(OtlpReceiver.Span::traceId).distinct().count(), "one trace: " + all);
        OtlpReceiver.Span request = only(spans, "pagestream-ingest", "POST /v1/documents", all);
        List<OtlpReceiver.Span> inference = spans.stream()
                .filter(s -> s.name().equals("pagestream.worker.inference")).toList();
        assertTrue(inference.stream().allMatch(s -> s.service().equals("pagestream-worker")), all);
        assertEquals(pages, inference.stream().map(s -> s.attributes().get("pagestream.page.index")).distinct().count(),
                "an inference span for every page: " + all);
        assertTrue(inference.stream().allMatch(s -> s.parentSpanId().equals(request.spanId())),
                "the inference spans are children of the REST span: " + all);
        OtlpReceiver.Span document = only(spans, "pagestream-assembler", "pagestream.assembler.document", all);
        assertEquals("COMPLETED", document.attributes().get("pagestream.document.outcome"), all);
        assertTrue(inference.stream().anyMatch(s -> s.spanId().equals(document.parentSpanId())),
                "the document span is the child of an inference span: " + all);
    }

    /** The spans that name the document, and any others of their traces. */
    private static List<OtlpReceiver.Span> ofDocument(OtlpReceiver collector, String id) {
        List<OtlpReceiver.Span> received = collector.spans();
        Set<String> traces = received.stream().filter(s -> id.equals(s.attributes().get("pagestream.document.id")))
                .map(OtlpReceiver.Span::traceId).collect(Collectors.toSet());
        return received.stream().filter(s -> traces.contains(s.traceId())).toList();
    }

    private static boolean complete(List<OtlpReceiver.Span> spans, int pages) {
        Set<String> names = spans.stream().map(OtlpReceiver.Span::name).collect(Collectors.toSet());
        return names.containsAll(Set.of("POST /v1/documents", "pagestream.assembler.document"))
                && spans.stream().filter(s -> s.name().equals("pagestream.worker.inference"))
                        .map(s -> s.attributes().get("pagestream.page.index")).distinct().count() >= pages;
    }

    private static OtlpReceiver.Span only(List<OtlpReceiver.Span> spans, String service, String name, String all) {
        List<OtlpReceiver.Span> named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertEquals(1, named.size(), "one " + name + " span: " + all);
        assertEquals(service, named.getFirst().service(), name + " from " + service + ": " + all);
        return named.getFirst();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for spans", e);
        }
    }
}
