package io.pagestream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in of the assembler's {@code GET /v1/documents/{id}} serving canned views: each document answers a given
 * sequence of replies in order and then repeats the last one; an id without replies gets the assembler's 404.
 */
final class ResultsApiStub implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One canned answer. */
    record Reply(int status, String body, Map<String, String> headers) {}

    /** One request as it arrived. */
    record Request(String documentId, String query, long nanos, String apiKey) {}

    private final HttpServer server;
    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    ResultsApiStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/documents/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/v1/documents/".length());
            requests.add(new Request(
                    id,
                    exchange.getRequestURI().getQuery(),
                    System.nanoTime(),
                    exchange.getRequestHeaders().getFirst("X-API-Key")));
            Deque<Reply> queue = replies.get(id);
            Reply reply;
            if (queue == null) {
                reply = notFound(id);
            } else {
                synchronized (queue) {
                    reply = queue.size() > 1 ? queue.poll() : queue.peek();
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code documentId} answers these in order, then the last one again and again. */
    void answer(String documentId, Reply... sequence) {
        replies.put(documentId, new ArrayDeque<>(List.of(sequence)));
    }

    List<Request> requestsFor(String documentId) {
        return requests.stream().filter(r -> r.documentId().equals(documentId)).toList();
    }

    static Reply ok(ObjectNode view) {
        return new Reply(200, view.toString(), Map.of());
    }

    static Reply notFound(String documentId) {
        return new Reply(
                404,
                JSON.createObjectNode()
                        .put("documentId", documentId)
                        .put("error", "unknown document: never seen by the assembler, or removed after the retention")
                        .toString(),
                Map.of());
    }

    static Reply unavailable(String documentId, int retryAfterSeconds) {
        return new Reply(
                503,
                JSON.createObjectNode()
                        .put("documentId", documentId)
                        .put("error", "the state stores are rebalancing")
                        .toString(),
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** A view as the assembler writes it, without results (PROCESSING, or asked with results=false). */
    static ObjectNode view(String documentId, String state, int pagesDone, Integer pageCount, int... missing) {
        ObjectNode v = JSON.createObjectNode().put("documentId", documentId).put("state", state);
        if (pageCount == null) {
            v.putNull("pageCount");
        } else {
            v.put("pageCount", pageCount);
        }
        v.put("pagesDone", pagesDone);
        v.putArray("failedPages");
        ArrayNode m = v.putArray("missingPages");
        for (int page : missing) {
            m.add(page);
        }
        v.putNull("results");
        return v;
    }

    /** A closed view with results: the pages' markdown and text, and each page's structure. */
    static ObjectNode closed(
            String documentId, String state, int pageCount, List<String> pageMarkdown, int... missing) {
        ObjectNode v = view(documentId, state, pageCount - missing.length, pageCount, missing);
        ObjectNode results = v.putObject("results");
        ArrayNode pages = results.putArray("pages");
        StringBuilder markdown = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pageMarkdown.size(); i++) {
            ObjectNode page = pages.addObject().put("pageIndex", i).put("text", pageMarkdown.get(i));
            page.putObject("structure").put("mode", "MARKDOWN").put("markdown", pageMarkdown.get(i));
            markdown.append(i == 0 ? "" : "\n\n")
                    .append("<!-- page ")
                    .append(i + 1)
                    .append(" -->\n")
                    .append(pageMarkdown.get(i));
            text.append(i == 0 ? "" : "\f").append(pageMarkdown.get(i));
        }
        results.put("fullText", text.toString()).put("markdown", markdown.toString());
        return v;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
