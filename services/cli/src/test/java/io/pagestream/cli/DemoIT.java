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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The real demo, as {@code ./pagestream demo --json} runs it: the broker, the registry and the three packaged services
 * (built by the reactor before this module) on the random model, the bundled samples through ingest's REST API.
 * Every sample must come out COMPLETED with one OCR page per page and one answer set per question, and nothing the
 * demo started may be left running.
 */
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the sample files are: the PDF has two pages, the receipt is one image. */
    private static final Map<String, Integer> PAGES = Map.of("invoice-and-letter.pdf", 2, "scanned-receipt.jpg", 1);

    @Test
    void everySampleComesOutWholeAndNothingIsLeftRunning() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cli.execute("--json", "--samples", DemoCommandTest.SAMPLES.toString(), "--checkout", "../..",
                "--data-dir", "target/demo-it/run", "--model-cache", "target/demo-it/model", "--timeout", "4m");
        System.out.printf("[demo-it] the demo took %.0f s; its progress:%n%s%n", (System.nanoTime() - start) / 1e9,
                err);
        assertEquals(0, exit, "exit status; stderr:\n" + err);
        assertTrue(err.toString().contains(DemoModel.WARNING), "says loudly that the model is random");

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
        assertEquals(samples.size(), ocr.size(), "one OCR record per sample: " + out);
        assertEquals(samples.size(), answers.size(), "one answers record per sample: " + out);
        for (Samples.Sample sample : samples) {
            int pages = PAGES.get(sample.name());
            JsonNode document = ocr.values().stream().filter(o -> o.get("pageCount").asInt() == pages
                    && o.get("pages").size() == pages).findFirst()
                    .orElseThrow(() -> new AssertionError(sample.name() + ": no OCR with " + pages + " pages: " + ocr));
            String id = document.get("documentId").asText();
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

        // The demo waits for each child to end before it returns: anything still running now is an orphan.
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        assertTrue(left.isEmpty(), "no child process left: " + left.stream().map(ProcessHandle::info).toList());
    }
}
