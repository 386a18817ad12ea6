package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.OcrPage;
import io.pagestream.schema.PageFailure;
import io.pagestream.topics.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The audit's verdicts on topics written by hand: each kind of loss and duplicate is counted, and only those. */
class ChaosAuditTest {
    private static final long T0 = 1_000_000L;

    private final Map<String, List<GenericRecord>> topics = new HashMap<>();

    @Test
    void aDocumentThatCameOutWholeOnceIsNeitherLostNorDuplicated() {
        ChaosPhase.Submission a = submission("a", 2, 1);
        whole(a);
        ChaosFigures f = audit(a);
        assertTrue(f.clean(), f.toString());
        assertEquals(0, f.duplicated());
        assertEquals(4.0, f.latencyP50Seconds(), "from the first sending to the closing status");
    }

    @Test
    void recordsEmittedTwiceAreCountedPerTopic() {
        ChaosPhase.Submission a = submission("a", 2, 1);
        whole(a);
        add(Topics.DOCUMENTS_OCR, ocr("a", 0, 1, 0, 1));
        add(Topics.DOCUMENTS_STATUS, status("a", "COMPLETED", null, T0 + 9000));
        ChaosFigures f = audit(a);
        assertEquals(1, f.duplicates().get(Topics.DOCUMENTS_OCR.name()));
        assertEquals(1, f.duplicates().get(Topics.DOCUMENTS_STATUS.name()));
        assertEquals(0, f.duplicates().get(Topics.DOCUMENTS_ANSWERS.name()));
        assertEquals(0, f.documentsLost());
        assertFalse(f.clean());
    }

    @Test
    void aSubmissionThatBecameTwoDocumentsIsASplit() {
        ChaosPhase.Submission a = submission("a", 1, 0);
        whole(a);
        add(Topics.DOCUMENTS_REQUESTS, request("a-again", a.key()));
        ChaosFigures f = audit(a);
        assertEquals(1, f.split());
        assertFalse(f.clean());
    }

    @Test
    void anUnclosedDocumentIsLostWithThePagesItsOcrLacks() {
        ChaosPhase.Submission a = submission("a", 3, 0);
        add(Topics.DOCUMENTS_REQUESTS, request("a", a.key()));
        add(Topics.DOCUMENTS_OCR, ocr("a", 0, 2, 0));
        ChaosFigures f = audit(a);
        assertEquals(1, f.documentsLost());
        assertEquals(2, f.pagesLost());
        assertEquals(0.0, f.latencyP99Seconds(), "nothing closed: no latency");
    }

    @Test
    void aFailedPageIsAccountedForAndItsReasonCounted() {
        ChaosPhase.Submission a = submission("a", 2, 0);
        add(Topics.DOCUMENTS_REQUESTS, request("a", a.key()));
        add(Topics.DOCUMENTS_STATUS, status("a", "PAGE_FAILED", "INFERENCE_ERROR", T0 + 1000, 1));
        add(Topics.PAGES_DLQ, failure("a", 1));
        add(Topics.DOCUMENTS_OCR, ocr("a", 0, 1, 0));
        add(Topics.DOCUMENTS_STATUS, status("a", "COMPLETED", null, T0 + 2000));
        ChaosFigures f = audit(a);
        assertEquals(0, f.pagesLost());
        assertEquals(0, f.documentsLost());
        assertEquals(Map.of("INFERENCE_ERROR", 1), f.pageFailed());
    }

    @Test
    void aRejectedOrIncompleteDocumentIsCountedWithItsReason() {
        ChaosPhase.Submission a = submission("a", 1, 0);
        ChaosPhase.Submission b = submission("b", 2, 0);
        add(Topics.DOCUMENTS_STATUS, status("a", "REJECTED", "CORRUPT_IMAGE", T0 + 1000));
        add(Topics.DOCUMENTS_OCR, ocr("b", 0, 1, 0));
        add(Topics.DOCUMENTS_STATUS, status("b", "INCOMPLETE", "TIMEOUT", T0 + 1000));
        ChaosFigures f = audit(a, b);
        assertEquals(Map.of("CORRUPT_IMAGE", 1), f.rejected());
        assertEquals(Map.of("TIMEOUT", 1), f.incomplete());
        assertEquals(1, f.documentsLost(), "a good document rejected is lost; an INCOMPLETE one came out");
        assertEquals(2, f.pagesLost(), "the rejected page and the page INCOMPLETE lacks");
    }

    @Test
    void anotherRunsDocumentsAreNotCounted() {
        ChaosPhase.Submission a = submission("a", 1, 0);
        whole(a);
        add(Topics.DOCUMENTS_OCR, ocr("other", 0, 1, 0));
        add(Topics.DOCUMENTS_OCR, ocr("other", 0, 1, 0));
        assertTrue(audit(a).clean());
    }

    private ChaosFigures audit(ChaosPhase.Submission... submissions) {
        return new ChaosAudit(topics)
                .figures("test", new ChaosPhase.Outcome(List.of(submissions), List.of(), true, 10_000));
    }

    private static ChaosPhase.Submission submission(String id, int pages, int questions) {
        List<String> asked =
                IntStream.range(0, questions).mapToObj(i -> "q" + i).toList();
        return new ChaosPhase.Submission(
                id, "key-" + id, new ChaosDocuments.Document(Path.of(id + ".tiff"), pages, asked), T0);
    }

    /** Everything a document that went through properly leaves: closed 4 s after it was sent. */
    private void whole(ChaosPhase.Submission s) {
        String id = s.documentId();
        int pages = s.document().pages();
        add(Topics.DOCUMENTS_REQUESTS, request(id, s.key()));
        add(Topics.DOCUMENTS_STATUS, status(id, "ACCEPTED", null, T0 + 500));
        add(Topics.DOCUMENTS_OCR, ocr(id, 0, 1, IntStream.range(0, pages).toArray()));
        if (!s.document().questions().isEmpty()) {
            add(Topics.DOCUMENTS_ANSWERS, answers(id, 0, 1));
        }
        add(Topics.DOCUMENTS_STATUS, status(id, "COMPLETED", null, T0 + 4000));
    }

    private void add(io.pagestream.topics.TopicSpec<?> topic, GenericRecord record) {
        topics.computeIfAbsent(topic.name(), k -> new ArrayList<>()).add(record);
    }

    private static GenericRecord record(Schema schema, Object... fields) {
        GenericData.Record r = new GenericData.Record(schema);
        for (int i = 0; i < fields.length; i += 2) {
            r.put((String) fields[i], fields[i + 1]);
        }
        return r;
    }

    private static GenericRecord request(String id, String key) {
        return record(DocumentRequest.getClassSchema(), "documentId", id, "idempotencyKey", key);
    }

    private static GenericRecord status(String id, String state, String reason, long at) {
        return status(id, state, reason, at, null);
    }

    private static GenericRecord status(String id, String state, String reason, long at, Integer page) {
        return record(
                DocumentStatus.getClassSchema(),
                "documentId",
                id,
                "state",
                new GenericData.EnumSymbol(
                        DocumentStatus.getClassSchema().getField("state").schema(), state),
                "reasonCode",
                reason,
                "pageIndex",
                page,
                "at",
                at);
    }

    private static GenericRecord ocr(String id, int chunk, int chunks, int... pages) {
        List<GenericRecord> ocrPages = IntStream.of(pages)
                .mapToObj(p -> record(OcrPage.getClassSchema(), "pageIndex", p))
                .toList();
        return record(
                DocumentOcr.getClassSchema(),
                "documentId",
                id,
                "chunkIndex",
                chunk,
                "chunkCount",
                chunks,
                "pages",
                ocrPages);
    }

    private static GenericRecord answers(String id, int chunk, int chunks) {
        return record(DocumentAnswers.getClassSchema(), "documentId", id, "chunkIndex", chunk, "chunkCount", chunks);
    }

    private static GenericRecord failure(String id, int page) {
        return record(PageFailure.getClassSchema(), "documentId", id, "pageIndex", page);
    }
}
