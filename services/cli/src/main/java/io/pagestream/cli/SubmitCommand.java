package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pagestream.schema.OcrMode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Asynchronous batch OCR: uploads each file to the ingest service ({@code POST /v1/documents}, streamed from disk) and
 * prints one JSON line per accepted document. Progress goes to stderr. Each file gets a random idempotency key (a UUID
 * v4), which its retries after a 503 (this command retries by itself, honouring Retry-After) reuse, so a retry never
 * creates a second document and nobody can derive the document's id from the file. {@code --content-key} derives the
 * key from the file's content and the questions instead, so that running the same command again is answered as a
 * retry too (ingest mixes its id secret into such ids where authentication is on).
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description =
                "Submit documents (PDF, TIFF, PNG, JPEG, WebP) for OCR and questions; prints one JSON line per accepted document.")
final class SubmitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to submit.")
    List<Path> files;

    @Option(
            names = "--ask",
            paramLabel = "QUESTION",
            description = "A question to answer about every document (repeatable).")
    List<String> questions = new ArrayList<>();

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description =
                    "What OCR asks the model for: text, markdown or layout (regions with boxes). Default: the service's (markdown unless configured).")
    OcrMode mode;

    @Option(
            names = "--ground-answers",
            description = "Ask for each answer's evidence: a box around what the model read.")
    boolean groundAnswers;

    @Option(
            names = "--url",
            defaultValue = "${env:PAGESTREAM_URL:-http://127.0.0.1:8080}",
            description = "Ingest service base URL (env PAGESTREAM_URL). Default: ${DEFAULT-VALUE}.")
    String url;

    @Mixin
    Credentials credentials;

    @Option(
            names = "--parallel",
            defaultValue = "2",
            description = "Uploads at the same time. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(
            names = "--retries",
            defaultValue = "20",
            description = "Retries of a file answered 503 or unreachable. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Option(
            names = "--content-key",
            description = "Derive each file's idempotency key from its content and the questions, so that submitting"
                    + " the same again returns the document submitted before instead of a new one.")
    boolean contentKey;

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
        IngestClient ingest = new IngestClient(url, credentials, retries, err);
        URI endpoint = ingest.endpoint();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Path file : files) {
                jobs.add(pool.submit(() -> {
                    try {
                        String key = "cli-"
                                + (contentKey
                                        ? contentKey(file)
                                        : UUID.randomUUID().toString());
                        JsonNode accepted = ingest.submit(file, questions, mode, groundAnswers, key);
                        ObjectNode line = JSON.createObjectNode();
                        line.put("file", file.toString());
                        line.put("documentId", accepted.path("documentId").asText());
                        line.put(
                                "statusUrl",
                                endpoint.resolve(accepted.path("statusUrl").asText())
                                        .toString());
                        line.put("pageCount", accepted.path("pageCount").asInt());
                        line.put("duplicate", accepted.path("duplicate").asBoolean());
                        synchronized (out) {
                            out.println(JSON.writeValueAsString(line));
                            out.flush();
                        }
                        progress(
                                err,
                                "[%d/%d] %s: accepted %s, %d pages%s",
                                done.incrementAndGet(),
                                files.size(),
                                file.getFileName(),
                                line.get("documentId").asText(),
                                line.get("pageCount").asInt(),
                                line.get("duplicate").asBoolean() ? " (already submitted before)" : "");
                    } catch (IngestClient.Refused e) {
                        failed.incrementAndGet();
                        progress(
                                err,
                                "[%d/%d] %s: refused %s",
                                done.incrementAndGet(),
                                files.size(),
                                file.getFileName(),
                                e.getMessage());
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        progress(
                                err,
                                "[%d/%d] %s: failed: %s",
                                done.incrementAndGet(),
                                files.size(),
                                file.getFileName(),
                                e);
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

    /**
     * The file's bytes, the questions, and the mode and grounding when given: the same submission always gets the same
     * key, and the same file read another way is another document.
     */
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
        if (mode != null || groundAnswers) {
            sha.update((byte) 1);
            sha.update((mode + " " + groundAnswers).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void progress(PrintWriter err, String format, Object... args) {
        synchronized (err) {
            err.println(String.format(Locale.ROOT, format, args));
            err.flush();
        }
    }
}
