package io.pagestream.cli;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The least of an OTLP/HTTP collector: takes {@code POST /v1/traces} (protobuf, uncompressed, as Quarkus' exporter
 * sends it by default) and keeps each span with its service's name. Decodes only the fields the tests read, by their
 * numbers in opentelemetry-proto's {@code trace.proto}, {@code resource.proto} and {@code common.proto}, so that no
 * generated classes are needed.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One received span; ids are lowercase hex, an absent parent is "". Attribute values are as strings. */
    record Span(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            Map<String, String> attributes) {}

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", this::export);
        server.start();
    }

    /** The base URL to give the exporter; it adds {@code /v1/traces} itself. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            try (InputStream body = exchange.getRequestBody()) {
                spans.addAll(exportRequest(CodedInputStream.newInstance(body.readAllBytes())));
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** ExportTraceServiceRequest: 1 resource_spans. */
    private static List<Span> exportRequest(CodedInputStream in) throws IOException {
        List<Span> spans = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (tag >>> 3 == 1) {
                resourceSpans(in.readBytes().newCodedInput(), spans);
            } else {
                in.skipField(tag);
            }
        }
        return spans;
    }

    /** ResourceSpans: 1 resource (1 attributes), 2 scope_spans (2 spans). */
    private static void resourceSpans(CodedInputStream in, List<Span> out) throws IOException {
        Map<String, String> resource = new HashMap<>();
        List<CodedInputStream> scopes = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> attributes(in.readBytes().newCodedInput(), 1, resource);
                case 2 -> scopes.add(in.readBytes().newCodedInput());
                default -> in.skipField(tag);
            }
        }
        String service = resource.getOrDefault("service.name", "");
        for (CodedInputStream scope : scopes) {
            for (int tag; (tag = scope.readTag()) != 0; ) {
                if (tag >>> 3 == 2) {
                    out.add(span(service, scope.readBytes().newCodedInput()));
                } else {
                    scope.skipField(tag);
                }
            }
        }
    }

    /** Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes. */
    private static Span span(String service, CodedInputStream in) throws IOException {
        HexFormat hex = HexFormat.of();
        String traceId = "", spanId = "", parent = "", name = "";
        Map<String, String> attributes = new HashMap<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> traceId = hex.formatHex(in.readByteArray());
                case 2 -> spanId = hex.formatHex(in.readByteArray());
                case 4 -> parent = hex.formatHex(in.readByteArray());
                case 5 -> name = in.readString();
                case 9 -> keyValue(in.readBytes().newCodedInput(), attributes);
                default -> in.skipField(tag);
            }
        }
        return new Span(service, traceId, spanId, parent, name, Map.copyOf(attributes));
    }

    /** The repeated KeyValue field {@code field} of a message. */
    private static void attributes(CodedInputStream in, int field, Map<String, String> out) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (tag >>> 3 == field) {
                keyValue(in.readBytes().newCodedInput(), out);
            } else {
                in.skipField(tag);
            }
        }
    }

    /** KeyValue: 1 key, 2 value, an AnyValue: 1 string, 2 bool, 3 int64, 4 double (arrays and maps left out). */
    private static void keyValue(CodedInputStream in, Map<String, String> out) throws IOException {
        String key = null;
        String value = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> key = in.readString();
                case 2 -> value = anyValue(in.readBytes().newCodedInput());
                default -> in.skipField(tag);
            }
        }
        if (key != null && value != null) {
            out.put(key, value);
        }
    }

    private static String anyValue(CodedInputStream in) throws IOException {
        String value = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> value = in.readString();
                case 2 -> value = String.valueOf(in.readBool());
                case 3 -> value = String.valueOf(in.readInt64());
                case 4 -> value = String.valueOf(in.readDouble());
                default -> in.skipField(tag);
            }
        }
        return value;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
