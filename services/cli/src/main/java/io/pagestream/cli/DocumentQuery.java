package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks the assembler's REST API ({@code GET /v1/documents/{id}}: the status URL ingest hands out) where a document
 * stands and, once it is closed, what it says. One request per call; what to do with a 404 or 503 is the caller's.
 */
final class DocumentQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Wait before asking again after a 503 that names no Retry-After. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Credentials credentials;

    /** Without credentials (the embedded stack). */
    DocumentQuery() {
        this(Credentials.none());
    }

    DocumentQuery(Credentials credentials) {
        this.credentials = credentials;
    }

    /**
     * What the API answered.
     *
     * @param body       the JSON body: the document's view on 200, {@code {documentId, error}} on 404 and 503 (a body
     *                   that is not JSON is kept as {@code {error: text}})
     * @param retryAfter on 503, how long to wait before asking again
     */
    record Answer(int httpStatus, JsonNode body, Duration retryAfter) {
        /** PROCESSING, COMPLETED or INCOMPLETE on 200; null otherwise. */
        String state() {
            return httpStatus == 200 ? body.path("state").asText(null) : null;
        }

        int pagesDone() {
            return body.path("pagesDone").asInt();
        }

        /** Null while the document's request has not reached the assembler, and on anything but 200. */
        Integer pageCount() {
            JsonNode n = body.path("pageCount");
            return httpStatus == 200 && n.isNumber() ? n.asInt() : null;
        }

        boolean completed() {
            return "COMPLETED".equals(state());
        }

        /** COMPLETED or INCOMPLETE: nothing more will change. */
        boolean closed() {
            return completed() || "INCOMPLETE".equals(state());
        }

        /** The view's pages not done (never came, when INCOMPLETE) as page numbers from 1: {@code [2, 5]}. */
        String missingPages() {
            return pageNumbers("missingPages");
        }

        /** The view's failed pages as page numbers from 1. */
        String failedPages() {
            return pageNumbers("failedPages");
        }

        private String pageNumbers(String field) {
            StringBuilder b = new StringBuilder("[");
            for (JsonNode index : body.path(field)) {
                b.append(b.length() > 1 ? ", " : "").append(index.asInt() + 1);
            }
            return b.append(']').toString();
        }

        /** The API's explanation of a 404, 503 or other failure. */
        String error() {
            return body.path("error").asText(body.path("message").asText("HTTP " + httpStatus));
        }
    }

    /** {@code GET documentUrl}, with the document's results or without ({@code ?results=false}: state only). */
    Answer get(URI documentUrl, boolean withResults) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                credentials.applyTo(HttpRequest.newBuilder(URI.create(documentUrl + "?results=" + withResults))
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept", "application/json"));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(), parse(response.body()), RetryAfter.of(response.headers(), DEFAULT_RETRY_AFTER));
    }

    /** The document's URL under an API base URL ({@code http://host:port}, with or without a trailing slash). */
    static URI documentUrl(String baseUrl, String documentId) {
        String segment = URLEncoder.encode(documentId, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/").resolve("v1/documents/" + segment);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            return node.isObject() ? node : JSON.createObjectNode().put("error", body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("error", body);
        }
    }
}
