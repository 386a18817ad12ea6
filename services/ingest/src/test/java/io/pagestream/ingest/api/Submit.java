package io.pagestream.ingest.api;

import static io.restassured.RestAssured.given;

import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.response.Response;
import io.restassured.specification.MultiPartSpecification;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A multipart submission as a client sends it. */
final class Submit {
    private final String fileName;
    private final byte[] data;
    private List<String> questions = List.of();
    private String key;
    private String keyHeader;
    private String documentId;
    private String tasks;
    private String metadata;
    private String apiKey;
    private String bearer;
    private String traceparent;
    private String mode;
    private String groundAnswers;

    private Submit(String fileName, byte[] data) {
        this.fileName = fileName;
        this.data = data;
    }

    static Submit file(String fileName, byte[] data) {
        return new Submit(fileName, data);
    }

    Submit questions(String... q) {
        this.questions = List.of(q);
        return this;
    }

    Submit key(String k) {
        this.key = k;
        return this;
    }

    Submit keyHeader(String k) {
        this.keyHeader = k;
        return this;
    }

    Submit documentId(String id) {
        this.documentId = id;
        return this;
    }

    Submit tasks(String t) {
        this.tasks = t;
        return this;
    }

    Submit metadata(String json) {
        this.metadata = json;
        return this;
    }

    Submit apiKey(String k) {
        this.apiKey = k;
        return this;
    }

    Submit bearer(String token) {
        this.bearer = token;
        return this;
    }

    Submit traceparent(String header) {
        this.traceparent = header;
        return this;
    }

    Submit mode(String m) {
        this.mode = m;
        return this;
    }

    Submit groundAnswers(String g) {
        this.groundAnswers = g;
        return this;
    }

    Response post() {
        RequestSpecification r = given().multiPart("file", fileName, data, "application/octet-stream");
        for (String q : questions) {
            r = r.multiPart(text("question", q));
        }
        if (key != null) {
            r = r.multiPart(text("idempotencyKey", key));
        }
        if (keyHeader != null) {
            // The key's UTF-8 bytes, as curl sends them: the HTTP client writes each char of a header as one byte.
            r = r.header(
                    "Idempotency-Key",
                    new String(keyHeader.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        if (documentId != null) {
            r = r.multiPart(text("documentId", documentId));
        }
        if (tasks != null) {
            r = r.multiPart(text("tasks", tasks));
        }
        if (metadata != null) {
            r = r.multiPart(text("metadata", metadata));
        }
        if (mode != null) {
            r = r.multiPart(text("mode", mode));
        }
        if (groundAnswers != null) {
            r = r.multiPart(text("groundAnswers", groundAnswers));
        }
        if (apiKey != null) {
            r = r.header("X-API-Key", apiKey);
        }
        if (bearer != null) {
            r = r.header("Authorization", "Bearer " + bearer);
        }
        if (traceparent != null) {
            r = r.header("traceparent", traceparent);
        }
        return r.when().post("/v1/documents");
    }

    /** A form field in UTF-8, as browsers and curl send one (the test client sends another charset by default). */
    private static MultiPartSpecification text(String name, String value) {
        return new MultiPartSpecBuilder(value)
                .controlName(name)
                .charset(StandardCharsets.UTF_8)
                .build();
    }
}
