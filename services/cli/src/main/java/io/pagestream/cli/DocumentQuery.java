package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the assembler's REST API ({@code GET /v1/documents/{id}}: the status URL ingest hands out) where a document
 * stands.
 */
final class DocumentQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the status URL answered: the HTTP status and, on 200, the document's state and pages done. */
    record Answer(int httpStatus, String state, int pagesDone, int pageCount) {
        boolean completed() {
            return httpStatus == 200 && "COMPLETED".equals(state);
        }
    }

    Answer get(URI statusUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(statusUrl + "?results=false"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return new Answer(response.statusCode(), null, 0, 0);
        }
        JsonNode body = JSON.readTree(response.body());
        return new Answer(200, body.path("state").asText(), body.path("pagesDone").asInt(),
                body.path("pageCount").asInt());
    }
}
