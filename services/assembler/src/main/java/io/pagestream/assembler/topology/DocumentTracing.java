package io.pagestream.assembler.topology;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.pagestream.assembler.state.DocumentProgress.Phase;
import io.pagestream.assembler.state.RequestSummary;
import io.pagestream.topics.TraceHeaders;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The assembler's span, {@code pagestream.assembler.document}: a document's completion, in the document's trace. A
 * document completed by a record continues that record's trace context (its headers, else its Avro
 * {@code traceparent}): the worker span of the page that came last. One closed by its timeout, or completed by a
 * record without trace context, continues the trace of its request. The document's output records carry the span's
 * context in their headers.
 */
final class DocumentTracing {
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("pagestream.document.outcome");
    private static final AttributeKey<Long> PAGES = AttributeKey.longKey("pagestream.document.pages");

    private final Tracer tracer;
    private final TraceHeaders headers;

    DocumentTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.pagestream.assembler");
        this.headers = TraceHeaders.of(openTelemetry);
    }

    /** The trace context a record carries, else its document's request's. */
    Context parent(Record<String, SpecificRecord> record, RequestSummary request) {
        String traceparent = record.value() instanceof GenericRecord value && value.hasField(TraceHeaders.TRACEPARENT)
                ? Objects.toString(value.get(TraceHeaders.TRACEPARENT), null)
                : null;
        Context carried = headers.extract(record.headers(), traceparent);
        return Span.fromContext(carried).getSpanContext().isValid() ? carried : parent(request);
    }

    /** The trace context of a document's request. */
    Context parent(RequestSummary request) {
        return headers.extract(null, request.traceparent());
    }

    Span document(Context parent, String documentId, Phase outcome, RequestSummary request) {
        return tracer.spanBuilder("pagestream.assembler.document")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(TraceHeaders.DOCUMENT_ID, documentId)
                .setAttribute(OUTCOME, outcome.name())
                .setAttribute(PAGES, (long) request.pageCount())
                .startSpan();
    }

    /** Fresh headers carrying {@code span}'s context, for one output record. */
    Headers headers(Span span) {
        return headers.inject(Context.root().with(span), new RecordHeaders());
    }
}
