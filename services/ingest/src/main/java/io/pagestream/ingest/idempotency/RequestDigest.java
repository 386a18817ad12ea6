package io.pagestream.ingest.idempotency;

import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.Task;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a document asks for besides its file — questions in their order, tasks, OCR mode, grounding, metadata — as a
 * SHA-256. Two submissions under one idempotency key are the same request when their files and these digests agree.
 * The idempotency table keeps the digest rather than the fields: 200,000 documents of 20 long questions would not fit
 * the heap. Tasks and metadata are a set and a map, so their order does not count.
 */
public final class RequestDigest {
    private RequestDigest() {}

    public static byte[] of(DocumentRequest request) {
        return of(
                request.getQuestions(),
                request.getTasks(),
                request.getOcrMode(),
                request.getGroundAnswers(),
                request.getMetadata());
    }

    public static byte[] of(
            List<String> questions,
            List<Task> tasks,
            OcrMode mode,
            boolean groundAnswers,
            Map<String, String> metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(questions.size());
            for (String q : questions) {
                text(out, q);
            }
            List<String> taskNames =
                    tasks.stream().map(Task::name).sorted().distinct().toList();
            out.writeInt(taskNames.size());
            for (String t : taskNames) {
                text(out, t);
            }
            text(out, mode.name());
            out.writeBoolean(groundAnswers);
            Map<String, String> sorted = new TreeMap<>(metadata);
            out.writeInt(sorted.size());
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                text(out, e.getKey());
                text(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length-prefixed, so no two different field lists encode to the same bytes. */
    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
