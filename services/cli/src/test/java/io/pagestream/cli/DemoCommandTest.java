package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.OcrPage;
import io.pagestream.schema.PageStructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demo}'s options, the bundled samples, and the checks it makes before starting anything. */
class DemoCommandTest {
    static final Path SAMPLES = Path.of("../../samples");

    private static DemoCommand parse(String... args) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        return demo;
    }

    @Test
    void defaultsRunTheRandomModelBriefly(@TempDir Path cache) throws Exception {
        DemoCommand demo = parse("--model-cache", cache.toString());
        assertEquals(Duration.ofMinutes(10), demo.timeout);
        assertEquals(Path.of("samples"), demo.samples);
        assertFalse(demo.json);
        assertTrue(demo.model.random());
        assertNull(demo.model.problem());

        LocalPipeline.WorkerModel worker = demo.model.resolve(new PrintWriter(new StringWriter()));
        assertEquals(cache.toAbsolutePath().resolve("tiny-random"), worker.checkpoint());
        assertTrue(Files.isRegularFile(worker.checkpoint().resolve("config.json")), "the random model was written");
        assertEquals(
                Map.of(
                        "pagestream.worker.model.dtype",
                        "fp32",
                        "pagestream.worker.model.provider",
                        "cpu",
                        "pagestream.worker.prompts.ocr-max-new-tokens",
                        "24",
                        "pagestream.worker.prompts.question-max-new-tokens",
                        "8"),
                worker.settings());
        long written = Files.getLastModifiedTime(worker.checkpoint().resolve("config.json"))
                .toMillis();
        demo.model.resolve(new PrintWriter(new StringWriter()));
        assertEquals(
                written,
                Files.getLastModifiedTime(worker.checkpoint().resolve("config.json"))
                        .toMillis(),
                "a second run reuses the cached model");
    }

    @Test
    void anOtlpEndpointTurnsTracingOnInEveryService() {
        assertEquals(LocalPipeline.Tracing.OFF, parse().tracing.tracing(), "off unless asked");
        assertEquals(
                List.of(
                        "-Dquarkus.otel.sdk.disabled=false",
                        "-Dquarkus.otel.exporter.otlp.endpoint=http://localhost:4317",
                        "-Dquarkus.otel.exporter.otlp.protocol=grpc"),
                parse("--otlp-endpoint", "http://localhost:4317")
                        .tracing
                        .tracing()
                        .systemProperties());
        assertEquals(
                "-Dquarkus.otel.exporter.otlp.protocol=http/protobuf",
                parse("--otlp-endpoint", "http://localhost:4318", "--otlp-protocol", "http/protobuf")
                        .tracing
                        .tracing()
                        .systemProperties()
                        .getLast());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--otlp-protocol", "http/json"));
    }

    @Test
    void aRealModelKeepsTheWorkersLimitsUnlessTold(@TempDir Path model) throws Exception {
        Files.writeString(model.resolve("config.json"), "{}");
        DemoCommand demo = parse(
                "--model", model.toString(), "--dtype", "int4", "--provider", "cuda", "--json", "--timeout", "90s");
        assertEquals(Duration.ofSeconds(90), demo.timeout);
        assertTrue(demo.json);
        assertFalse(demo.model.random());
        LocalPipeline.WorkerModel worker = demo.model.resolve(new PrintWriter(new StringWriter()));
        assertEquals(model.toAbsolutePath(), worker.checkpoint());
        assertEquals(
                Map.of("pagestream.worker.model.dtype", "int4", "pagestream.worker.model.provider", "cuda"),
                worker.settings());

        demo = parse("--model", model.toString(), "--ocr-max-new-tokens", "200", "--timeout", "PT20M");
        assertEquals(Duration.ofMinutes(20), demo.timeout);
        assertEquals(
                "200",
                demo.model
                        .resolve(new PrintWriter(new StringWriter()))
                        .settings()
                        .get("pagestream.worker.prompts.ocr-max-new-tokens"));
    }

    @Test
    void timeoutsInEveryWrittenForm() {
        DurationConverter convert = new DurationConverter();
        assertEquals(Duration.ofSeconds(45), convert.convert("45"));
        assertEquals(Duration.ofSeconds(45), convert.convert("45s"));
        assertEquals(Duration.ofMinutes(3), convert.convert("3m"));
        assertEquals(Duration.ofHours(2), convert.convert("2h"));
        assertEquals(Duration.ofSeconds(150), convert.convert("PT2M30S"));
        assertThrows(NumberFormatException.class, () -> convert.convert("soon"));
    }

    @Test
    void theBundledSamples() throws Exception {
        List<Samples.Sample> samples = Samples.load(SAMPLES);
        assertEquals(
                List.of("invoice-and-letter.pdf", "scanned-receipt.jpg"),
                samples.stream().map(Samples.Sample::name).toList());
        assertEquals(
                List.of("What is the invoice number?", "What is the total due?"),
                samples.get(0).questions());
        assertEquals(List.of("What is the name of the shop?"), samples.get(1).questions());
        long bytes = 0;
        for (Samples.Sample sample : samples) {
            bytes += Files.size(sample.file());
        }
        assertTrue(bytes < 300 * 1024, "the samples stay small: " + bytes + " bytes");
    }

    @Test
    void aSamplesIndexNamingAMissingFileIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("samples.json"), "{\"samples\":[{\"file\":\"gone.pdf\",\"questions\":[]}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Samples.load(dir));
        assertTrue(e.getMessage().contains("gone.pdf"), e.getMessage());
        Files.writeString(dir.resolve("samples.json"), "{\"samples\":[]}");
        assertThrows(IllegalArgumentException.class, () -> Samples.load(dir));
    }

    @Test
    void refusesToStartWithoutTheServicesOrWithABadModel(@TempDir Path empty) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand()).setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("--samples", SAMPLES.toString(), "--checkout", empty.toString()));
        assertTrue(
                err.toString().contains("the services are not built")
                        && err.toString().contains("./pagestream build"),
                err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--samples", empty.toString()));
        assertTrue(err.toString().contains("no samples.json"), err.toString());
    }

    @Test
    void theDemoShowsTheAssemblersMarkdownOrMakesItTheSameWayFromThePages() {
        OcrPage text = OcrPage.newBuilder()
                .setPageIndex(0)
                .setText(" plain text of page one ")
                .setConfidence(0.5)
                .setWidth(100)
                .setHeight(100)
                .build();
        OcrPage failed = OcrPage.newBuilder()
                .setPageIndex(1)
                .setText(null)
                .setConfidence(0)
                .setWidth(0)
                .setHeight(0)
                .setFailure("DECODE_ERROR")
                .build();
        OcrPage structured = OcrPage.newBuilder()
                .setPageIndex(2)
                .setText("raw <ref>output</ref>")
                .setConfidence(0.5)
                .setWidth(100)
                .setHeight(100)
                .setStructure(PageStructure.newBuilder()
                        .setMode(OcrMode.MARKDOWN)
                        .setMarkdown("# Title\n\nbody\u0007")
                        .build())
                .build();
        DocumentOcr ocr = DocumentOcr.newBuilder()
                .setDocumentId("d1")
                .setPageCount(3)
                .setPages(List.of(text, failed, structured))
                .setFullText("")
                .setComplete(true)
                .setCompletedAt(Instant.EPOCH)
                .build();
        assertEquals("", ocr.getMarkdown(), "an assembler that does not fill it");
        assertEquals(
                "<!-- page 1 -->\nplain text of page one\n\n<!-- page 3 -->\n# Title\n\nbody\u0007",
                DemoText.markdown(ocr),
                "successful pages only; a page's structure before its raw text");
        String shown = DemoText.ocr("doc.pdf", "d1", ocr, "RANDOM MODEL");
        assertTrue(shown.startsWith("== OCR of doc.pdf  (document d1, 3 pages, RANDOM MODEL) ==="), shown);
        assertTrue(shown.contains("\n# Title\n\nbody\uFFFD\n"), "control characters made visible: " + shown);
        assertTrue(shown.endsWith("\n<!-- page 2 FAILED: DECODE_ERROR -->\n"), shown);

        ocr.setMarkdown("<!-- page 1 -->\nthe assembler's");
        assertEquals(
                "<!-- page 1 -->\nthe assembler's", DemoText.markdown(ocr), "the assembler's own, when it has one");
    }
}
