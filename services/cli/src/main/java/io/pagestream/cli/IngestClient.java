package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.schema.OcrMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest service's {@code POST /v1/documents}, as {@code submit} and {@code demo} use it: the file streamed from
 * disk in a multipart body, 503s retried after Retry-After and an unreachable service retried every 5 s, progress
 * written to {@code progress}.
 */
final class IngestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Credentials credentials;
    private final int retries;
    private final PrintWriter progress;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    IngestClient(String baseUrl, Credentials credentials, int retries, PrintWriter progress) {
        this.endpoint =
                URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/").resolve("v1/documents");
        this.credentials = credentials;
        this.retries = retries;
        this.progress = progress;
    }

    /** The documents endpoint; status URLs in answers are relative to it. */
    URI endpoint() {
        return endpoint;
    }

    /**
     * Submits one file to be read in {@code mode} (null: the service's default) with answers grounded or not; returns
     * the service's answer to an accepted (202) or already accepted (200) document.
     */
    JsonNode submit(Path file, List<String> questions, OcrMode mode, boolean groundAnswers, String idempotencyKey)
            throws Exception {
        long size = Files.size(file);
        for (int attempt = 0; ; attempt++) {
            String boundary = "pagestream-" + UUID.randomUUID();
            AtomicLong sent = new AtomicLong();
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofMinutes(30))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(multipart(boundary, file, questions, mode, groundAnswers, idempotencyKey, sent));
            credentials.applyTo(request);
            progress("%s: uploading %s", file.getFileName(), human(size));
            HttpResponse<String> response;
            long t0 = System.nanoTime();
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                progress(
                        "%s: %s sent, answered %d after %.1f s",
                        file.getFileName(), human(sent.get()), response.statusCode(), (System.nanoTime() - t0) / 1e9);
            } catch (IOException e) {
                if (attempt >= retries) {
                    throw e;
                }
                progress("%s: %s; retrying in 5 s", file.getFileName(), e.getMessage() == null ? e : e.getMessage());
                Thread.sleep(5000);
                continue;
            }
            JsonNode body = parse(response.body());
            int status = response.statusCode();
            if (status == 200 || status == 202) {
                return body;
            }
            if ((status == 503 || status == 409) && attempt < retries) {
                long wait =
                        RetryAfter.of(response.headers(), Duration.ofSeconds(5)).toSeconds();
                progress(
                        "%s: %d %s; retrying in %d s",
                        file.getFileName(), status, body.path("reason").asText("busy"), wait);
                Thread.sleep(Duration.ofSeconds(Math.max(1, wait)).toMillis());
                continue;
            }
            throw new Refused(
                    status,
                    status + " " + body.path("reason").asText("") + ": "
                            + body.path("message").asText(response.body()));
        }
    }

    private static HttpRequest.BodyPublisher multipart(
            String boundary,
            Path file,
            List<String> questions,
            OcrMode mode,
            boolean groundAnswers,
            String key,
            AtomicLong sent)
            throws IOException {
        StringBuilder head = new StringBuilder();
        for (String q : questions) {
            field(head, boundary, "question", q);
        }
        if (mode != null) {
            field(head, boundary, "mode", mode.name().toLowerCase(Locale.ROOT));
        }
        if (groundAnswers) {
            field(head, boundary, "groundAnswers", "true");
        }
        field(head, boundary, "idempotencyKey", key);
        String name = file.getFileName()
                .toString()
                .replace("\"", "%22")
                .replace("\r", "")
                .replace("\n", "");
        head.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"")
                .append(name)
                .append("\"\r\n")
                .append("Content-Type: application/octet-stream\r\n\r\n");
        String tail = "\r\n--" + boundary + "--\r\n";
        return HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head.toString(), StandardCharsets.UTF_8),
                counting(HttpRequest.BodyPublishers.ofFile(file), sent),
                HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
    }

    private static void field(StringBuilder b, String boundary, String name, String value) {
        b.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n")
                .append("Content-Type: text/plain; charset=UTF-8\r\n\r\n")
                .append(value)
                .append("\r\n");
    }

    /** Counts the bytes the HTTP client pulls from the file (the upload streams; nothing is held in memory). */
    private static HttpRequest.BodyPublisher counting(HttpRequest.BodyPublisher inner, AtomicLong sent) {
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return inner.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                inner.subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        sent.addAndGet(item.remaining());
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private void progress(String format, Object... args) {
        synchronized (progress) {
            progress.println(String.format(Locale.ROOT, format, args));
            progress.flush();
        }
    }

    private static String human(long bytes) {
        return bytes < 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    /** A final refusal (4xx, or 503s past the retries): the message carries the status, reason and explanation. */
    static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status of the refusal. */
        int status() {
            return status;
        }
    }
}
