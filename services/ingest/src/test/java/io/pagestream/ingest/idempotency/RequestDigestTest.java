package io.pagestream.ingest.idempotency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.Task;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The digest an accepted document is remembered by, whether this instance accepted it or read it back. */
class RequestDigestTest {
    private static final List<String> QUESTIONS = List.of("What is the total?", "Who signed?");
    private static final List<Task> TASKS = List.of(Task.OCR, Task.QA);

    @Test
    void aRequestReadBackHasTheDigestItWasAcceptedWith() {
        DocumentRequest published = DocumentRequest.newBuilder()
                .setDocumentId("d")
                .setIdempotencyKey("k")
                .setFileName("f.pdf")
                .setMediaType("application/pdf")
                .setSizeBytes(1)
                .setSha256("00")
                .setPageCount(1)
                .setTasks(TASKS)
                .setQuestions(QUESTIONS)
                .setMetadata(Map.of("customer", "acme", "batch", "7"))
                .setSubmittedAt(Instant.EPOCH)
                .setOcrMode(OcrMode.LAYOUT)
                .setGroundAnswers(true)
                .build();
        Map<String, String> otherOrder = new LinkedHashMap<>();
        otherOrder.put("batch", "7");
        otherOrder.put("customer", "acme");
        assertArrayEquals(
                RequestDigest.of(published),
                RequestDigest.of(QUESTIONS, List.of(Task.QA, Task.OCR), OcrMode.LAYOUT, true, otherOrder));
    }

    @Test
    void anyOtherFieldIsAnotherRequest() {
        byte[] base = RequestDigest.of(QUESTIONS, TASKS, OcrMode.MARKDOWN, false, Map.of());
        for (byte[] other : List.of(
                RequestDigest.of(QUESTIONS.reversed(), TASKS, OcrMode.MARKDOWN, false, Map.of()),
                RequestDigest.of(List.of("What is the total?"), TASKS, OcrMode.MARKDOWN, false, Map.of()),
                RequestDigest.of(List.of("What is the total?Who signed?"), TASKS, OcrMode.MARKDOWN, false, Map.of()),
                RequestDigest.of(QUESTIONS, List.of(Task.QA), OcrMode.MARKDOWN, false, Map.of()),
                RequestDigest.of(QUESTIONS, TASKS, OcrMode.TEXT, false, Map.of()),
                RequestDigest.of(QUESTIONS, TASKS, OcrMode.MARKDOWN, true, Map.of()),
                RequestDigest.of(QUESTIONS, TASKS, OcrMode.MARKDOWN, false, Map.of("a", "b")))) {
            assertFalse(Arrays.equals(base, other));
        }
    }
}
