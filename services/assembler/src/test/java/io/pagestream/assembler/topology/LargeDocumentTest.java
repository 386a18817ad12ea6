package io.pagestream.assembler.topology;

import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.StateSerdes;
import io.pagestream.assembler.testing.AssemblerDriver;
import io.pagestream.assembler.testing.Structures;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.registry.testing.InMemorySchemaRegistry;
import io.pagestream.schema.AnswerCandidate;
import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.OcrPage;
import io.pagestream.schema.PageStructure;
import io.pagestream.schema.QuestionAnswers;
import io.pagestream.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Documents of 1,000+ pages: outputs split by page range, every record under its limit, and no state value that
 * grows with the document. In-memory stores (same changelogs, same scans): the driver commits after every record,
 * and on RocksDB each commit is a flush to disk.
 */
class LargeDocumentTest {
    static final SchemaRegistry registry = new InMemorySchemaRegistry();

    /** About {@code chars} characters of text, with two- three- and four-byte UTF-8 characters in it. */
    static String pageText(int page, int chars) {
        String line = "Page " + page + ": Grüße, 5 € — ✓ 𝄞 plain text of an invoice line. ";
        return line.repeat(Math.max(1, chars / line.length()));
    }

    static void pipeDocument(AssemblerDriver a, String id, int pages, int chars) {
        a.pipe(request(id, pages, "Who signed?", "Total?"));
        for (int page = 0; page < pages; page++) {
            a.pipe(
                    ocr(id, page, pages, pageText(page, chars), 0.9),
                    answers(id, page, pages, page == 1234 ? 0.99 : 0.5, (page % 97) / 100.0));
        }
    }

    static <V extends SpecificRecord> int bytes(Serializer<V> serializer, String topic, V value) {
        return serializer.serialize(topic, value).length;
    }

    @Test
    void aDocumentOfManyPagesIsEmittedInChunksOfConsecutivePagesUnderTheRecordLimit() {
        int pages = 1300;
        try (AssemblerDriver a =
                new AssemblerDriver(AssemblerSettings.defaults(), registry, Stores::inMemoryKeyValueStore)) {
            pipeDocument(a, "big", pages, 2000);

            List<DocumentOcr> ocr = a.documentOcr.readValuesToList();
            List<DocumentAnswers> answers = a.documentAnswers.readValuesToList();
            assertEquals(3, ocr.size(), "500 pages per chunk by default");
            assertEquals(3, answers.size());
            Serializer<DocumentOcr> ocrBytes =
                    Topics.DOCUMENTS_OCR.valueSerde(registry, true).serializer();
            Serializer<DocumentAnswers> answerBytes =
                    Topics.DOCUMENTS_ANSWERS.valueSerde(registry, true).serializer();
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < ocr.size(); i++) {
                DocumentOcr chunk = ocr.get(i);
                assertEquals(i, chunk.getChunkIndex());
                assertEquals(3, chunk.getChunkCount());
                assertEquals(pages, chunk.getPageCount());
                chunk.getPages().stream().map(OcrPage::getPageIndex).forEach(seen::add);
                assertTrue(bytes(ocrBytes, Topics.DOCUMENTS_OCR.name(), chunk) < Topics.RESULT_MAX_MESSAGE_BYTES);

                DocumentAnswers answerChunk = answers.get(i);
                assertEquals(i, answerChunk.getChunkIndex());
                assertEquals(3, answerChunk.getChunkCount());
                QuestionAnswers who = answerChunk.getQuestions().get(0);
                assertEquals(
                        1234, who.getBest().getPageIndex(), "the best answer over the whole document, in every chunk");
                assertEquals(
                        chunk.getPages().stream().map(OcrPage::getPageIndex).toList(),
                        who.getCandidates().stream()
                                .map(AnswerCandidate::getPageIndex)
                                .toList(),
                        "chunk i of the answers covers the pages of chunk i of the OCR");
                assertTrue(bytes(answerBytes, Topics.DOCUMENTS_ANSWERS.name(), answerChunk)
                        < Topics.RESULT_MAX_MESSAGE_BYTES);
            }
            assertEquals(IntStream.range(0, pages).boxed().toList(), seen);
            assertEquals(DocumentState.COMPLETED, a.status.readValue().getState());

            Serializer<PageResult> pageState = StateSerdes.pages().serializer();
            try (var all = a.pages().all()) {
                all.forEachRemaining(kv -> assertTrue(
                        pageState.serialize("t", kv.value).length < 16 * 1024, "one page's state stays small"));
            }
            assertTrue(
                    StateSerdes.progress()
                                    .serializer()
                                    .serialize("t", a.documents().get("big"))
                                    .length
                            < 1024,
                    "the document's own state does not grow with its pages");
        }
    }

    /**
     * A page as a worker with structured output sends it: some 3,000 characters in a title, seven grounded paragraphs
     * (one with two boxes), a 3 × 4 table, a caption with two boxes and a footer.
     */
    static Structures structuredPage(int page) {
        Structures structures = Structures.report(page, 600);
        for (int p = 0; p < 4; p++) {
            structures.paragraph(pageText(page, 500), Structures.box(100, 400 + 60 * p, 900, 450 + 60 * p));
        }
        return structures;
    }

    @Test
    void aThousandStructuredPagesAreChunkedByTheirRealSize() {
        int pages = 1000;
        AssemblerSettings settings = AssemblerSettings.defaults();
        Map<Integer, PageStructure> sent = new HashMap<>();
        try (AssemblerDriver a = new AssemblerDriver(settings, registry, Stores::inMemoryKeyValueStore)) {
            a.pipe(request("structured", pages, "Who signed?"));
            for (int page = 0; page < pages; page++) {
                var ocr = ocr("structured", page, pages, structuredPage(page));
                sent.put(page, ocr.getStructure());
                a.pipe(ocr, answers("structured", page, pages, 0.5));
            }

            List<DocumentOcr> chunks = a.documentOcr.readValuesToList();
            assertTrue(chunks.size() > 2, "the byte limit, not the page limit (500), splits it: " + chunks.size());
            Serializer<DocumentOcr> serializer =
                    Topics.DOCUMENTS_OCR.valueSerde(registry, true).serializer();
            int next = 0;
            for (DocumentOcr chunk : chunks) {
                int size = bytes(serializer, Topics.DOCUMENTS_OCR.name(), chunk);
                assertTrue(
                        size <= settings.chunkMaxBytes(),
                        "chunk " + chunk.getChunkIndex() + " is " + size + " bytes, over the limit of "
                                + settings.chunkMaxBytes());
                if (chunk.getChunkIndex() < chunk.getChunkCount() - 1) {
                    assertTrue(
                            size > 0.9 * settings.chunkMaxBytes(),
                            "the estimate is close, not only safe: chunk " + chunk.getChunkIndex() + " " + size);
                }
                int first = chunk.getPages().get(0).getPageIndex();
                assertTrue(
                        chunk.getMarkdown().startsWith("<!-- page " + (first + 1) + " -->\n# Quarterly report"),
                        "each chunk's markdown starts with its own first page");
                for (OcrPage page : chunk.getPages()) {
                    assertEquals(next, page.getPageIndex(), "consecutive pages, none lost or repeated");
                    assertEquals(sent.get(next), page.getStructure(), "page " + next + " arrives whole");
                    next++;
                }
            }
            assertEquals(pages, next);
            assertEquals(chunks.size(), a.documentAnswers.readValuesToList().size());
            assertEquals(DocumentState.COMPLETED, a.status.readValue().getState());
        }
    }

    @Test
    void anIncompleteDocumentOfAHundredThousandPagesListsTheFirstMissingPagesAndCountsTheRest() {
        int pages = 100_000;
        AssemblerSettings settings = AssemblerSettings.defaults();
        try (AssemblerDriver a = new AssemblerDriver(settings, registry, Stores::inMemoryKeyValueStore)) {
            a.pipe(request("huge", pages));
            for (int page : List.of(0, 1, 2, 50_000)) {
                a.pipe(ocr("huge", page, pages, pageText(page, 100), 0.9));
            }
            a.advance(settings.timeout().plus(settings.punctuateInterval()));

            List<DocumentStatus> statuses = a.status.readValuesToList();
            DocumentStatus status = statuses.get(statuses.size() - 1);
            assertEquals(DocumentState.INCOMPLETE, status.getState());
            assertEquals(
                    IntStream.range(3, 1003).boxed().toList(),
                    status.getMissingPages(),
                    "the first " + settings.statusMaxMissingPages() + " missing pages, in order");
            assertEquals(pages - 4, status.getPageCount() - status.getPagesDone(), "every missing page is counted");
            assertTrue(
                    status.getMessage().contains("99996 of 100000 pages missing")
                            && status.getMessage().contains("98996 more not listed"),
                    status.getMessage());
            int size = bytes(
                    Topics.DOCUMENTS_STATUS.valueSerde(registry, true).serializer(),
                    Topics.DOCUMENTS_STATUS.name(),
                    status);
            assertTrue(size < 8 * 1024, "one small record, whatever the document's size: " + size + " bytes");
        }
    }

    @Test
    void chunksCloseAtTheByteLimitBeforeThePageLimit() {
        int limit = 256 * 1024;
        int pages = 240;
        AssemblerSettings defaults = AssemblerSettings.defaults();
        AssemblerSettings settings = new AssemblerSettings(
                defaults.timeout(),
                defaults.retention(),
                defaults.punctuateInterval(),
                500,
                limit,
                defaults.statusMaxMissingPages());
        try (AssemblerDriver a = new AssemblerDriver(settings, registry, Stores::inMemoryKeyValueStore)) {
            pipeDocument(a, "dense", pages, 4000);

            List<DocumentOcr> ocr = a.documentOcr.readValuesToList();
            assertTrue(ocr.size() > 5, "about 30 pages of 8 KB estimated per 256 KiB chunk: " + ocr.size());
            Serializer<DocumentOcr> ocrBytes =
                    Topics.DOCUMENTS_OCR.valueSerde(registry, true).serializer();
            int next = 0;
            for (DocumentOcr chunk : ocr) {
                assertTrue(
                        bytes(ocrBytes, Topics.DOCUMENTS_OCR.name(), chunk) <= limit, "the estimate is conservative");
                for (OcrPage page : chunk.getPages()) {
                    assertEquals(next++, page.getPageIndex(), "consecutive pages, none lost or repeated");
                }
            }
            assertEquals(pages, next);
            Serializer<DocumentAnswers> answerBytes =
                    Topics.DOCUMENTS_ANSWERS.valueSerde(registry, true).serializer();
            for (DocumentAnswers chunk : a.documentAnswers.readValuesToList()) {
                assertTrue(bytes(answerBytes, Topics.DOCUMENTS_ANSWERS.name(), chunk) <= limit);
            }
        }
    }
}
