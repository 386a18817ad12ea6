package io.pagestream.topics;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Trace context in Kafka record headers, written and read by the configured OpenTelemetry propagator (W3C
 * {@code traceparent}/{@code tracestate} by default), so one trace runs from the REST call through every record a
 * document causes. The records' Avro {@code traceparent} field carries the same trace as a fallback for records that
 * come without headers (older producers, tools).
 */
public final class TraceHeaders {
    /** The W3C header (and map key) that names a span: also the Avro field's content. */
    public static final String TRACEPARENT = "traceparent";
    /** The span attribute every service sets to the document a span works on, so one query finds a document's spans. */
    public static final AttributeKey<String> DOCUMENT_ID = AttributeKey.stringKey("pagestream.document.id");

    private static final TextMapSetter<Headers> SET = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Headers> GET = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false)
                    .map(Header::key)
                    .distinct()
                    .toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapGetter<Map<String, String>> GET_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return List.copyOf(carrier.keySet());
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final TextMapPropagator propagator;

    public TraceHeaders(TextMapPropagator propagator) {
        this.propagator = propagator;
    }

    public static TraceHeaders of(OpenTelemetry openTelemetry) {
        return new TraceHeaders(openTelemetry.getPropagators().getTextMapPropagator());
    }

    /** Writes {@code context} into {@code headers}, replacing trace headers already there; returns the headers. */
    public Headers inject(Context context, Headers headers) {
        propagator.inject(context, headers, SET);
        return headers;
    }

    /**
     * The context carried by {@code headers}; when they carry no valid span, the one named by {@code traceparent}
     * (a record's Avro field, may be null); else the root context.
     */
    public Context extract(Headers headers, String traceparent) {
        Context fromHeaders = headers == null ? Context.root() : propagator.extract(Context.root(), headers, GET);
        if (Span.fromContext(fromHeaders).getSpanContext().isValid() || traceparent == null) {
            return fromHeaders;
        }
        return propagator.extract(Context.root(), Map.of(TRACEPARENT, traceparent), GET_MAP);
    }

    /** The W3C traceparent naming {@code context}'s span (for the Avro field), or null when it has none. */
    public String traceparent(Context context) {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }
}
