package io.pagestream.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.format.FormatDetector;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every check of what a client sends, in the order they apply. {@link #form} comes before the document has an id: a
 * refusal there names no document and is announced nowhere. {@link #request} checks the fields and the file of a
 * document that has its id (after the idempotency check: a retry is answered before its fields are read again); a
 * refusal there is announced as a REJECTED event. Rendering enforces the limits that need the file's inside (pages,
 * pixels, inflated bytes).
 */
final class SubmissionChecks {
    static final int MAX_METADATA_ENTRIES = 64;
    static final int MAX_METADATA_KEY = 256;
    static final int MAX_METADATA_VALUE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Limits limits;
    private final OcrMode defaultMode;

    SubmissionChecks(Limits limits, OcrMode defaultMode) {
        this.limits = limits;
        this.defaultMode = defaultMode;
    }

    /**
     * What decides the document's id, and the metadata.
     *
     * @param documentId     the client's own id, or null
     * @param idempotencyKey the client's key, stripped, or null
     */
    record Form(String documentId, String idempotencyKey, Map<String, String> metadata) {
        Form {
            metadata = Map.copyOf(metadata);
        }
    }

    /** What the document asks for: the fields its DocumentRequest and PageImages carry, and its format. */
    record Request(List<String> questions, List<Task> tasks, OcrOptions ocr, DocumentFormat format) {}

    Form form(Submission s) throws Rejected {
        if (s.file() == null) {
            throw new Rejected(Reason.INVALID_REQUEST, "the multipart field 'file' is missing");
        }
        Map<String, String> metadata = metadata(s.metadata());
        String given = blankToNull(s.documentId());
        if (given != null && !DocumentIds.isValidDocumentId(given)) {
            throw new Rejected(Reason.INVALID_REQUEST, "documentId must be " + DocumentIds.DOCUMENT_ID_RULE);
        }
        String key = blankToNull(s.idempotencyKey());
        if (key != null && !DocumentIds.isValidIdempotencyKey(key)) {
            throw new Rejected(
                    Reason.INVALID_REQUEST,
                    "the idempotency key must be 1 to 255 characters without control characters");
        }
        return new Form(given, key, metadata);
    }

    Request request(Submission s, Form form) throws Rejected {
        List<String> questions = questions(s.questions());
        List<Task> tasks = tasks(s.tasks(), questions);
        metadataSize(form.metadata());
        OcrOptions ocr = OcrOptions.parse(s.mode(), s.groundAnswers(), defaultMode);
        if (s.size() == 0) {
            throw new Rejected(Reason.EMPTY, "the file is empty");
        }
        if (s.size() > limits.maxBytes()) {
            throw new Rejected(
                    Reason.TOO_LARGE, "the file has " + s.size() + " bytes; the limit is " + limits.maxBytes());
        }
        DocumentFormat format;
        try {
            format = FormatDetector.detect(s.file());
        } catch (IOException e) {
            throw Rejected.corrupt("the upload cannot be read", e);
        }
        if (!format.supported()) {
            throw new Rejected(
                    Reason.UNSUPPORTED_FORMAT,
                    format == DocumentFormat.UNKNOWN
                            ? "the file is not a PDF, TIFF, PNG, JPEG or WebP (decided from its content)"
                            : format + " (" + format.mediaType()
                                    + ") is not supported; send PDF, TIFF, PNG, JPEG or WebP");
        }
        return new Request(questions, tasks, ocr, format);
    }

    private static Map<String, String> metadata(String metadata) throws Rejected {
        if (metadata == null || metadata.isBlank()) {
            return Map.of();
        }
        try {
            if (!(JSON.readTree(metadata) instanceof ObjectNode object)) {
                throw new Rejected(Reason.INVALID_REQUEST, "metadata must be a JSON object of string values");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new Rejected(Reason.INVALID_REQUEST, "metadata value '" + e.getKey() + "' is not a string");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new Rejected(Reason.INVALID_REQUEST, "metadata is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private List<String> questions(List<String> raw) throws Rejected {
        List<String> out = new ArrayList<>();
        for (String q : raw) {
            String t = q == null ? "" : q.strip();
            if (t.isEmpty()) {
                throw new Rejected(Reason.INVALID_REQUEST, "a question is empty");
            }
            // Characters as a reader counts them: an emoji or a rare CJK character is two UTF-16 units, one character.
            int characters = t.codePointCount(0, t.length());
            if (characters > limits.maxQuestionLength()) {
                throw new Rejected(
                        Reason.QUESTION_TOO_LONG,
                        "question " + (out.size() + 1) + " has " + characters + " characters; the limit is "
                                + limits.maxQuestionLength());
            }
            out.add(t);
        }
        if (out.size() > limits.maxQuestions()) {
            throw new Rejected(
                    Reason.TOO_MANY_QUESTIONS, out.size() + " questions; the limit is " + limits.maxQuestions());
        }
        return out;
    }

    private static List<Task> tasks(List<String> raw, List<String> questions) throws Rejected {
        Set<Task> tasks = new LinkedHashSet<>();
        for (String entry : raw) {
            for (String name : entry.split(",")) {
                String n = name.strip().toUpperCase(Locale.ROOT);
                if (n.isEmpty()) {
                    continue;
                }
                switch (n) {
                    case "OCR" -> tasks.add(Task.OCR);
                    case "QA" -> tasks.add(Task.QA);
                    default ->
                        throw new Rejected(
                                Reason.INVALID_REQUEST, "unknown task '" + name.strip() + "' (tasks are OCR and QA)");
                }
            }
        }
        if (tasks.isEmpty()) {
            tasks.add(Task.OCR);
            if (!questions.isEmpty()) {
                tasks.add(Task.QA);
            }
        }
        if (tasks.contains(Task.QA) && questions.isEmpty()) {
            throw new Rejected(Reason.INVALID_REQUEST, "task QA needs at least one question");
        }
        if (!tasks.contains(Task.QA) && !questions.isEmpty()) {
            throw new Rejected(Reason.INVALID_REQUEST, "questions were sent but the tasks do not include QA");
        }
        return List.copyOf(tasks);
    }

    private static void metadataSize(Map<String, String> metadata) throws Rejected {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new Rejected(
                    Reason.INVALID_REQUEST,
                    "metadata has " + metadata.size() + " entries; the limit is " + MAX_METADATA_ENTRIES);
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().length() > MAX_METADATA_KEY || e.getValue().length() > MAX_METADATA_VALUE) {
                throw new Rejected(
                        Reason.INVALID_REQUEST,
                        "metadata keys may have " + MAX_METADATA_KEY + " characters and values " + MAX_METADATA_VALUE);
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
