package io.pagestream.ingest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One submission as received: the uploaded file (already on disk) and the form fields, not yet checked (that is
 * {@link SubmissionChecks}' job).
 *
 * @param tenant        the caller's tenant (the default one while authentication is off)
 * @param file          the upload, or null when the request carried none
 * @param tasks         task names as sent ("OCR", "QA"; case-insensitive; empty: OCR, plus QA when there are questions)
 * @param documentId    the client's own document id, or null
 * @param metadata      a JSON object of string values as sent, or null
 * @param mode          the OCR mode as sent (text, markdown, layout; case-insensitive), or null for the default
 * @param groundAnswers "true" or "false" as sent, or null (false)
 */
public record Submission(
        String tenant,
        Path file,
        long size,
        String fileName,
        List<String> questions,
        List<String> tasks,
        String idempotencyKey,
        String documentId,
        String metadata,
        String traceparent,
        String mode,
        String groundAnswers) {

    public Submission {
        Objects.requireNonNull(tenant, "tenant");
        questions = questions == null ? List.of() : List.copyOf(questions);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
}
