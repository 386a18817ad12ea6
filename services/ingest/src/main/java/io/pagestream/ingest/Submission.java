package io.pagestream.ingest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One submission as received: the uploaded file (already on disk) and the form fields, not yet validated.
 *
 * @param tasks         task names as sent ("OCR", "QA"; case-insensitive; empty: OCR, plus QA when there are questions)
 * @param documentId    the client's own document id, or null
 * @param mode          the OCR mode as sent (text, markdown, layout; case-insensitive), or null for the default
 * @param groundAnswers "true" or "false" as sent, or null (false)
 */
public record Submission(Path file, long size, String fileName, List<String> questions, List<String> tasks,
        String idempotencyKey, String documentId, Map<String, String> metadata, String traceparent, String mode,
        String groundAnswers) {

    public Submission {
        questions = questions == null ? List.of() : List.copyOf(questions);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
