package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Asynchronous batch OCR: uploads each file to the ingest service ({@code POST /v1/documents}, streamed from disk) and
 * prints one JSON line per accepted document. Progress goes to stderr. Each file's idempotency key is derived from its
 * content and the questions, so running the same command again (or retrying after a 503, which this command does by
 * itself, honouring Retry-After) never creates a second document; {@code --new} submits again on purpose.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit documents (PDF, TIFF, PNG, JPEG, WebP) for OCR and questions; prints one JSON line per accepted document.")
final class SubmitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to submit.")
    List<Path> files;

    @Option(names = "--ask", paramLabel = "QUESTION", description = "A question to answer about every document (repeatable).")
    List<String> questions = new ArrayList<>();

    @Option(names = "--url", defaultValue = "${env:PAGESTREAM_URL:-http://127.0.0.1:8080}",
            description = "Ingest service base URL (env PAGESTREAM_URL). Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--api-key", defaultValue = "${env:PAGESTREAM_API_KEY}",
            description = "API key sent as X-API-Key when the service has authentication on (env PAGESTREAM_API_KEY).")
    String apiKey;

    @Option(names = "--token", defaultValue = "${env:PAGESTREAM_TOKEN}", description = "Bearer token (env PAGESTREAM_TOKEN).")
    String token;

    @Option(names = "--parallel", defaultValue = "2", description = "Uploads at the same time. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--retries", defaultValue = "20", description = "Retries of a file answered 503 or unreachable. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Option(names = "--new", description = "Submit as new documents even if the same files and questions were submitted before.")
    boolean fresh;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                err.println("not a file: " + f);
                return 2;
            }
        }
        URI endpoint = URI.create(url.endsWith("/") ? url : url + "/").resolve("v1/documents");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Path file : files) {
                jobs.add(pool.submit(() -> {
                    try {
                        JsonNode accepted = submitOne(http, endpoint, file, err);
                        ObjectNode line = JSON.createObjectNode();
                        line.put("file", file.toString());
                        line.put("documentId", accepted.path("documentId").asText());
                        line.put("statusUrl", endpoint.resolve(accepted.path("statusUrl").asText()).toString());
                        line.put("pageCount", accepted.path("pageCount").asInt());
                        line.put("duplicate", accepted.path("duplicate").asBoolean());
                        synchronized (out) {
                            out.println(JSON.writeValueAsString(line));
                            out.flush();
                        }
                        progress(err, "[%d/%d] %s: accepted %s, %d pages%s", done.incrementAndGet(), files.size(),
                                file.getFileName(), line.get("documentId").asText(), line.get("pageCount").asInt(),
                                line.get("duplicate").asBoolean() ? " (already submitted before)" : "");
                    } catch (Refused e) {
                        failed.incrementAndGet();
                        progress(err, "[%d/%d] %s: refused %s", done.incrementAndGet(), files.size(), file.getFileName(),
                                e.getMessage());
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        progress(err, "[%d/%d] %s: failed: %s", done.incrementAndGet(), files.size(), file.getFileName(), e);
                    }
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdownNow();
        }
        progress(err, "%d of %d documents accepted", files.size() - failed.get(), files.size());
        return failed.get() == 0 ? 0 : 1;
    }

    private JsonNode submitOne(HttpClient http, URI endpoint, Path file, PrintWriter err) throws Exception {
        String key = "cli-" + (fresh ? UUID.randomUUID() + "-" : "") + contentKey(file);
        long size = Files.size(file);
        for (int attempt = 0; ; attempt++) {
            String boundary = "pagestream-" + UUID.randomUUID();
            AtomicLong sent = new AtomicLong();
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(30))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Idempotency-Key", key)
                    .POST(multipart(boundary, file, key, sent));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("X-API-Key", apiKey);
            }
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token);
            }
            progress(err, "%s: uploading %s", file.getFileName(), human(size));
            HttpResponse<String> response;
            long t0 = System.nanoTime();
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                progress(err, "%s: %s sent, answered %d after %.1f s", file.getFileName(), human(sent.get()),
                        response.statusCode(), (System.nanoTime() - t0) / 1e9);
            } catch (IOException e) {
                if (attempt >= retries) {
                    throw e;
                }
                progress(err, "%s: %s; retrying in 5 s", file.getFileName(), e.getMessage() == null ? e : e.getMessage());
                Thread.sleep(5000);
                continue;
            }
            JsonNode body = parse(response.body());
            int status = response.statusCode();
            if (status == 200 || status == 202) {
                return body;
            }
            if ((status == 503 || status == 409) && attempt < retries) {
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(5);
                progress(err, "%s: %d %s; retrying in %d s", file.getFileName(), status,
                        body.path("reason").asText("busy"), wait);
                Thread.sleep(Duration.ofSeconds(Math.max(1, wait)).toMillis());
                continue;
            }
            throw new Refused(status + " " + body.path("reason").asText("") + ": "
                    + body.path("message").asText(response.body()));
        }
    }

    private HttpRequest.BodyPublisher multipart(String boundary, Path file, String key, AtomicLong sent)
            throws IOException {
        StringBuilder head = new StringBuilder();
        for (String q : questions) {
            field(head, boundary, "question", q);
        }
        field(head, boundary, "idempotencyKey", key);
        String name = file.getFileName().toString().replace("\"", "%22").replace("\r", "").replace("\n", "");
        head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(name).append("\"\r\n")
                .append("Content-Type: application/octet-stream\r\n\r\n");
        String tail = "\r\n--" + boundary + "--\r\n";
        return HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head.toString(), StandardCharsets.UTF_8),
                counting(HttpRequest.BodyPublishers.ofFile(file), sent),
                HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
    }

    private static void field(StringBuilder b, String boundary, String name, String value) {
        b.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n")
                .append("Content-Type: text/plain; charset=UTF-8\r\n\r\n")
                .append(value).append("\r\n");
    }

    /** The file's bytes and the questions: the same submission always gets the same key. */
    private String contentKey(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        for (String q : questions) {
            sha.update((byte) 0);
            sha.update(q.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
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

    private static void progress(PrintWriter err, String format, Object... args) {
        synchronized (err) {
            err.println(String.format(Locale.ROOT, format, args));
            err.flush();
        }
    }

    private static String human(long bytes) {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
