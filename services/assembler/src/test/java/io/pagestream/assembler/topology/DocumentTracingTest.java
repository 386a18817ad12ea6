package io.pagestream.assembler.topology;

import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.pagestream.assembler.testing.AssemblerDriver;
import io.pagestream.registry.testing.InMemorySchemaRegistry;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageOcr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A document's outputs carry its trace: the assembler's document span continues the trace context of the record that
 * completed the document (the last page's worker span), or the request's when that record carries none or the
 * document timed out; every output record names that span in its {@code traceparent} header.
 */
class DocumentTracingTest {
    /** The trace of {@code Results.request}'s Avro field. */
    private static final String REQUEST_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final String PAGE_TRACE = "0af7651916cd43dd8448eb211c80319c";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private SdkTracerProvider tracer;
    private AssemblerDriver assembler;

    @BeforeEach
    void start() {
        tracer = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        AssemblerSettings defaults = AssemblerSettings.defaults();
        assembler = new AssemblerDriver(
                new AssemblerSettings(
                        Duration.ofMinutes(10),
                        Duration.ofHours(1),
                        defaults.punctuateInterval(),
                        defaults.chunkMaxPages(),
                        defaults.chunkMaxBytes(),
                        defaults.statusMaxMissingPages()),
                new InMemorySchemaRegistry(),
                Stores::inMemoryKeyValueStore,
                OpenTelemetrySdk.builder()
                        .setTracerProvider(tracer)
                        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                        .build());
    }

    @AfterEach
    void stop() {
        assembler.close();
        tracer.close();
    }

    @Test
    void outputsContinueTheTraceOfTheRecordThatCompletedTheDocument() {
        DocumentRequest request = request("doc", 2, "Who?");
        assembler.requests.pipeInput(new TestRecord<>("doc", request, headers(request.getTraceparent())));
        assembler.ocr.pipeInput(
                new TestRecord<>("doc", ocr("doc", 0, 2), headers("00-" + PAGE_TRACE + "-1111111111111111-01")));
        String lastWorkerSpan = "2222222222222222";
        PageOcr last = ocr("doc", 1, 2);
        assembler.ocr.pipeInput(
                new TestRecord<>("doc", last, headers("00-" + PAGE_TRACE + "-" + lastWorkerSpan + "-01")));
        assembler.answers.pipeInput(new TestRecord<>("doc", answers("doc", 0, 2, 0.5), new RecordHeaders()));
        assembler.answers.pipeInput(new TestRecord<>(
                "doc", answers("doc", 1, 2, 0.7), headers("00-" + PAGE_TRACE + "-" + lastWorkerSpan + "-01")));

        List<String> outputs = List.of(
                traceparent(assembler.documentOcr.readRecord()),
                traceparent(assembler.documentAnswers.readRecord()),
                traceparent(assembler.status.readRecord()));
        SpanData span = documentSpan();
        assertEquals(PAGE_TRACE, span.getTraceId());
        assertEquals(lastWorkerSpan, span.getParentSpanId(), "the span continues the completing record's span");
        assertEquals(
                "COMPLETED",
                span.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("pagestream.document.outcome"))
                        .findFirst()
                        .orElseThrow()
                        .getValue());
        for (String traceparent : outputs) {
            assertEquals("00-" + PAGE_TRACE + "-" + span.getSpanId() + "-01", traceparent);
        }
    }

    @Test
    void withoutTraceContextOnTheResultsTheRequestsTraceGoesOn() {
        assembler.pipe(request("doc", 1), ocr("doc", 0, 1));
        String traceparent = traceparent(assembler.documentOcr.readRecord());
        assertEquals(REQUEST_TRACE, traceparent.split("-")[1]);
        assertEquals(traceparent, traceparent(assembler.status.readRecord()));
        assertEquals(REQUEST_TRACE, documentSpan().getTraceId());
    }

    @Test
    void aDocumentClosedByItsTimeoutGoesOnInItsRequestsTrace() {
        assembler.pipe(request("doc", 2), ocr("doc", 0, 2));
        assembler.advance(Duration.ofMinutes(11));
        TestRecord<String, DocumentStatus> status = assembler.status.readRecord();
        assertEquals(DocumentState.INCOMPLETE, status.value().getState());
        assertEquals(REQUEST_TRACE, traceparent(status).split("-")[1]);
        assertEquals(REQUEST_TRACE, documentSpan().getTraceId());
    }

    private SpanData documentSpan() {
        List<SpanData> finished = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("pagestream.assembler.document"))
                .toList();
        assertEquals(1, finished.size(), "one document span: " + spans.getFinishedSpanItems());
        return finished.getFirst();
    }

    private static RecordHeaders headers(String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String traceparent(TestRecord<String, ?> record) {
        Header header = record.headers().lastHeader("traceparent");
        assertNotNull(header, "a traceparent header on " + record);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
