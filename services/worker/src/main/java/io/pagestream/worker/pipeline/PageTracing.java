package io.pagestream.worker.pipeline;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.pagestream.schema.PageImage;
import io.pagestream.topics.TraceHeaders;
import io.pagestream.worker.output.OutputRecord;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The worker's spans (docs/observability.md). A page's spans continue the trace its record carries (headers, else the
 * Avro {@code traceparent} field): {@code pagestream.worker.decode} for reading and preparing it and
 * {@code pagestream.worker.inference} for each attempt at the engine. A micro-batch holds pages of many traces, so
 * {@code pagestream.worker.batch} starts a trace of its own, linked to each page's, and each page's inference span
 * links back to it. The records a page produces carry the context of the span that produced them.
 */
public final class PageTracing {
    static final AttributeKey<Long> PAGE_INDEX = AttributeKey.longKey("pagestream.page.index");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("pagestream.page.attempt");
    static final AttributeKey<Long> BATCH_PAGES = AttributeKey.longKey("pagestream.batch.pages");
    static final AttributeKey<String> FAILURE = AttributeKey.stringKey("pagestream.failure.reason");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    private final Tracer tracer;
    private final TraceHeaders headers;

    public PageTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.pagestream.worker");
        this.headers = TraceHeaders.of(openTelemetry);
    }

    /** No spans and no trace headers: for tests and benchmarks that are not about tracing. */
    public static PageTracing off() {
        return new PageTracing(OpenTelemetry.noop());
    }

    /** The trace a page belongs to: its record's headers, else the traceparent its producer put in the value. */
    Context parent(PageTask task, PageImage page) {
        return headers.extract(task.headers(), page == null ? null : page.getTraceparent());
    }

    /** Reading, checking and tiling one page; its value is not read yet, so only the headers name its trace. */
    Span decode(PageTask task) {
        return consumed(tracer.spanBuilder("pagestream.worker.decode").setParent(parent(task, null)), task)
                .startSpan();
    }

    /** One micro-batch: a trace of its own, linked to the trace of each page in it. */
    Span batch(List<PreparedPage> pages) {
        SpanBuilder span = tracer.spanBuilder("pagestream.worker.batch")
                .setNoParent()
                .setAttribute(BATCH_PAGES, (long) pages.size());
        pages.forEach(page ->
                span.addLink(Span.fromContext(parent(page.task(), page.page())).getSpanContext()));
        return span.startSpan();
    }

    /** One attempt of one page at the engine, in the page's trace, linked to the batch it ran in. */
    Span inference(PreparedPage page, Span batch) {
        return consumed(
                        tracer.spanBuilder("pagestream.worker.inference")
                                .setParent(parent(page.task(), page.page()))
                                .addLink(batch.getSpanContext()),
                        page.task())
                .setAttribute(TraceHeaders.DOCUMENT_ID, page.page().getDocumentId())
                .setAttribute(PAGE_INDEX, (long) page.page().getPageIndex())
                .setAttribute(ATTEMPT, (long) page.attempt())
                .startSpan();
    }

    private static SpanBuilder consumed(SpanBuilder span, PageTask task) {
        return span.setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, task.partition().topic())
                .setAttribute(PARTITION, (long) task.partition().partition())
                .setAttribute(OFFSET, task.offset());
    }

    /** Marks a span as the end of a page that failed with {@code reason}. */
    static void failed(Span span, String reason) {
        span.setAttribute(FAILURE, reason);
        span.setStatus(StatusCode.ERROR, reason);
    }

    /** The record to send, with {@code trace} in its headers. */
    ProducerRecord<String, SpecificRecord> record(OutputRecord record, Context trace) {
        return new ProducerRecord<>(
                record.topic(), null, record.key(), record.value(), headers.inject(trace, new RecordHeaders()));
    }
}
