package io.pagestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagestream.ingest.auth.Tenants;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The checks of a submission, without a service around them: what each refuses, and what passes on. */
class SubmissionChecksTest {
    private final SubmissionChecks checks =
            new SubmissionChecks(Limits.defaults().withMaxBytes(1000), OcrMode.MARKDOWN);

    @TempDir
    Path dir;

    @Test
    void theFormNamesTheDocumentAndCarriesTheMetadata() throws Rejected {
        SubmissionChecks.Form form = checks.form(submission(Path.of("x"), " doc-1 ", " key ", "{\"a\":\"b\"}"));
        assertEquals(new SubmissionChecks.Form("doc-1", "key", Map.of("a", "b")), form);
        assertEquals(
                new SubmissionChecks.Form(null, null, Map.of()), checks.form(submission(Path.of("x"), " ", null, " ")));
    }

    @Test
    void aFormWithoutAFileOrWithBadMetadataIdOrKeyIsAnInvalidRequest() {
        assertRefused(
                Reason.INVALID_REQUEST,
                "the multipart field 'file' is missing",
                () -> checks.form(submission(null, null, null, null)));
        assertRefused(
                Reason.INVALID_REQUEST,
                "metadata must be a JSON object of string values",
                () -> checks.form(submission(Path.of("x"), null, null, "[1,2]")));
        assertRefused(
                Reason.INVALID_REQUEST,
                "metadata value 'n' is not a string",
                () -> checks.form(submission(Path.of("x"), null, null, "{\"n\":1}")));
        assertRefused(
                Reason.INVALID_REQUEST,
                "documentId must be " + DocumentIds.DOCUMENT_ID_RULE,
                () -> checks.form(submission(Path.of("x"), "has/slash", null, null)));
        assertRefused(
                Reason.INVALID_REQUEST,
                "documentId must be " + DocumentIds.DOCUMENT_ID_RULE,
                () -> checks.form(submission(Path.of("x"), "..", null, null)));
        assertRefused(
                Reason.INVALID_REQUEST,
                "the idempotency key must be 1 to 255 characters without control characters",
                () -> checks.form(submission(Path.of("x"), null, "a\u0000b", null)));
    }

    @Test
    void aRequestPassesOnItsQuestionsTasksModeAndFormat() throws Exception {
        Path png = Files.write(dir.resolve("a.png"), TestFiles.png(10, 10));
        Submission s = new Submission(
                Tenants.DEFAULT,
                png,
                Files.size(png),
                "a.png",
                List.of(" Who? "),
                List.of(),
                null,
                null,
                null,
                null,
                "layout",
                "true");
        SubmissionChecks.Request request = checks.request(s, checks.form(s));
        assertEquals(
                new SubmissionChecks.Request(
                        List.of("Who?"),
                        List.of(Task.OCR, Task.QA),
                        new OcrOptions(OcrMode.LAYOUT, true),
                        DocumentFormat.PNG),
                request);
    }

    @Test
    void aRequestIsRefusedForItsFieldsSizeOrFormat() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.pdf"), "just some text");
        assertRefused(
                Reason.INVALID_REQUEST,
                "task QA needs at least one question",
                () -> request(text, List.of(), List.of("QA")));
        assertRefused(
                Reason.TOO_MANY_QUESTIONS,
                "21 questions; the limit is 20",
                () -> request(text, Collections.nCopies(21, "q?"), List.of()));
        assertRefused(
                Reason.UNSUPPORTED_FORMAT,
                "the file is not a PDF, TIFF, PNG, JPEG or WebP (decided from its content)",
                () -> request(text, List.of(), List.of()));
        Path empty = Files.write(dir.resolve("empty.pdf"), new byte[0]);
        assertRefused(Reason.EMPTY, "the file is empty", () -> request(empty, List.of(), List.of()));
        Path big = Files.write(dir.resolve("big.pdf"), new byte[1001]);
        assertRefused(
                Reason.TOO_LARGE,
                "the file has 1001 bytes; the limit is 1000",
                () -> request(big, List.of(), List.of()));
    }

    @Test
    void questionLengthCountsCharactersNotUtf16Units() throws Exception {
        Path png = Files.write(dir.resolve("q.png"), TestFiles.png(10, 10));
        String faces = "\uD83D\uDE00".repeat(1000); // 1,000 characters outside the BMP: 2,000 UTF-16 units
        assertEquals(List.of(faces), request(png, List.of(faces), List.of()).questions());
        assertRefused(
                Reason.QUESTION_TOO_LONG,
                "question 1 has 1001 characters; the limit is 1000",
                () -> request(png, List.of(faces + "?"), List.of()));
    }

    private SubmissionChecks.Request request(Path file, List<String> questions, List<String> tasks) throws Exception {
        Submission s = new Submission(
                Tenants.DEFAULT, file, Files.size(file), "f", questions, tasks, null, null, null, null, null, null);
        return checks.request(s, checks.form(s));
    }

    private static Submission submission(Path file, String documentId, String key, String metadata) {
        return new Submission(
                Tenants.DEFAULT, file, 1, "f", List.of(), List.of(), key, documentId, metadata, null, null, null);
    }

    private static void assertRefused(Reason reason, String message, Executable check) {
        Rejected r = assertThrows(Rejected.class, check);
        assertEquals(reason, r.reason());
        assertEquals(message, r.getMessage());
    }
}
