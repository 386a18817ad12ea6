package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageImage;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.pagestream.topics.PageKey;
import io.pagestream.topics.Topics;
import io.pagestream.topics.TraceHeaders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Trace context from the REST call into Kafka: every record a submission publishes (request, pages, status) carries
 * the REST request span's trace in a {@code traceparent} header and in its Avro field, and a client's own
 * {@code traceparent} makes that span, and so every record, part of the client's trace.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class TracingTest {
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void everyRecordOfADocumentCarriesTheRestSpansTrace() {
        String id = IngestApiTest.accept(Submit.file("two.pdf", TestFiles.pdf(2, true, false)));
        SpanData rest = restSpan(id);
        List<ConsumerRecord<String, SpecificRecord>> records = records(id, 4);
        for (ConsumerRecord<String, SpecificRecord> record : records) {
            assertEquals(rest.getTraceId(), traceId(header(record)), record.topic() + " header");
        }
        DocumentRequest request =
                TopicRecorder.get().records(id, DocumentRequest.class).getFirst();
        assertEquals(rest.getTraceId(), traceId(request.getTraceparent()), "the request's Avro field");
        assertEquals(
                header(only(records, Topics.DOCUMENTS_REQUESTS.name())),
                request.getTraceparent(),
                "the Avro field names the same span as the header");
        for (PageImage page : TopicRecorder.get().records(id, PageImage.class)) {
            assertEquals(rest.getTraceId(), traceId(page.getTraceparent()), "a page's Avro field");
        }
    }

    @Test
    void aClientsTraceparentMakesTheDocumentPartOfTheClientsTrace() {
        String id = IngestApiTest.accept(Submit.file("one.png", TestFiles.png(80, 60))
                .traceparent("00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01"));
        SpanData rest = restSpan(id);
        assertEquals(CLIENT_TRACE, rest.getTraceId());
        assertEquals(CLIENT_SPAN, rest.getParentSpanId(), "the REST span is the client span's child");
        for (ConsumerRecord<String, SpecificRecord> record : records(id, 3)) {
            assertEquals(CLIENT_TRACE, traceId(header(record)), record.topic() + " header");
        }
    }

    @Test
    void aRejectionEventCarriesTheClientsTraceToo() {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        Response r = Submit.file("secret.pdf", TestFiles.encryptedPdf())
                .traceparent("00-" + trace + "-b7ad6b7169203331-01")
                .post();
        assertEquals(422, r.statusCode(), r.asString());
        String id = r.jsonPath().getString("documentId");
        DocumentStatus rejected = TopicRecorder.get()
                .await(id, DocumentStatus.class, l -> !l.isEmpty())
                .getFirst();
        assertEquals(DocumentState.REJECTED, rejected.getState());
        assertEquals(trace, traceId(header(only(records(id, 1), Topics.DOCUMENTS_STATUS.name()))));
        assertEquals(trace, traceId(rejected.getTraceparent()));
    }

    /** The server span Quarkus made for the submission of document {@code id} (ingest tags it with the id). */
    private SpanData restSpan(String id) {
        Wait.atMost(Duration.ofSeconds(30), () -> restSpanNow(id).isPresent());
        return restSpanNow(id)
                .orElseThrow(() ->
                        new AssertionError("no server span for " + id + " among " + spans.getFinishedSpanItems()));
    }

    private Optional<SpanData> restSpanNow(String id) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.SERVER
                        && id.equals(span.getAttributes().get(TraceHeaders.DOCUMENT_ID)))
                .findFirst();
    }

    /** The document's committed records on every topic ingest writes, once there are {@code count}. */
    private static List<ConsumerRecord<String, SpecificRecord>> records(String id, int count) {
        Wait.atMost(Duration.ofSeconds(60), () -> recordsNow(id).size() >= count);
        List<ConsumerRecord<String, SpecificRecord>> mine = recordsNow(id);
        assertTrue(mine.size() >= count, "timed out waiting for " + count + " records of " + id);
        assertEquals(count, mine.size(), "records of " + id);
        return mine;
    }

    private static List<ConsumerRecord<String, SpecificRecord>> recordsNow(String id) {
        return TopicRecorder.get().all().stream()
                .filter(r -> id.equals(
                        r.topic().equals(Topics.DOCUMENTS_PAGES.name())
                                ? PageKey.parse(r.key()).documentId()
                                : r.key()))
                .toList();
    }

    private static ConsumerRecord<String, SpecificRecord> only(
            List<ConsumerRecord<String, SpecificRecord>> records, String topic) {
        List<ConsumerRecord<String, SpecificRecord>> on =
                records.stream().filter(r -> r.topic().equals(topic)).toList();
        assertEquals(1, on.size(), topic);
        return on.getFirst();
    }

    private static String header(ConsumerRecord<String, SpecificRecord> record) {
        Header header = record.headers().lastHeader("traceparent");
        assertNotNull(header, "a traceparent header on " + record.topic());
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The trace id of a W3C traceparent: version-traceid-spanid-flags. */
    private static String traceId(String traceparent) {
        assertNotNull(traceparent, "a traceparent");
        String[] parts = traceparent.split("-");
        assertEquals(4, parts.length, traceparent);
        return parts[1];
    }
}
