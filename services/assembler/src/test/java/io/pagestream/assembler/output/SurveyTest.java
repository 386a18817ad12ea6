package io.pagestream.assembler.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.RequestSummary;
import io.pagestream.assembler.testing.Structures;
import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageStructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/** The survey of a document and its chunk plan, as plain functions over stored pages. */
class SurveyTest {
    static final ChunkLimits WIDE = new ChunkLimits(1000, 1 << 22);

    /** Pages held in a sorted map, read as the store would give them. */
    static final class StoredPages implements PageSource {
        final TreeMap<Integer, PageResult> pages = new TreeMap<>();

        StoredPages text(int page, String text) {
            return text(page, text, null);
        }

        StoredPages text(int page, String text, PageStructure structure) {
            pages.put(
                    page,
                    new PageResult(
                            page,
                            new PageResult.Text(text, 0.9, 10, 20, structure),
                            pages.containsKey(page) ? pages.get(page).answers() : null,
                            null));
            return this;
        }

        StoredPages answers(int page, PageResult.Answer... answers) {
            PageResult old = pages.getOrDefault(page, PageResult.empty(page));
            pages.put(page, new PageResult(page, old.ocr(), List.of(answers), old.failure()));
            return this;
        }

        StoredPages failure(int page, String reason) {
            PageResult old = pages.getOrDefault(page, PageResult.empty(page));
            pages.put(page, new PageResult(page, old.ocr(), old.answers(), new PageResult.Failure(reason, "broken")));
            return this;
        }

        @Override
        public KeyValueIterator<String, PageResult> read(int from, int to) {
            Iterator<Map.Entry<Integer, PageResult>> entries =
                    pages.subMap(from, to).entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public KeyValue<String, PageResult> next() {
                    Map.Entry<Integer, PageResult> e = entries.next();
                    return KeyValue.pair("doc/" + e.getKey(), e.getValue());
                }

                @Override
                public void close() {}

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    static PageResult.Answer answer(int question, String text, double confidence) {
        return new PageResult.Answer(question, text, confidence, false, null);
    }

    static RequestSummary request(int pages, boolean ocr, boolean qa, String... questions) {
        return new RequestSummary(pages, ocr, qa, List.of(questions), Map.of(), 0, null, null);
    }

    @Test
    void chunksAreConsecutiveRangesOfAtMostMaxPages() {
        StoredPages stored = new StoredPages();
        for (int page = 0; page < 10; page++) {
            stored.text(page, "t");
        }
        Survey survey = Survey.of("doc", request(10, true, false), stored, new ChunkLimits(4, 1 << 20));
        assertEquals(List.of(new PageRange(0, 4), new PageRange(4, 8), new PageRange(8, 10)), survey.chunks());
    }

    @Test
    void aChunkClosesBeforeItsEstimateWouldPassTheByteLimit() {
        StoredPages stored = new StoredPages();
        String kilobyte = "x".repeat(1000);
        for (int page = 0; page < 6; page++) {
            stored.text(page, page == 3 ? kilobyte.repeat(5) : kilobyte);
        }
        // Each page counts its text three times (pages, fullText and, without a structure, markdown): about 3 KB a
        // page, two in a chunk; a 5 KB page is over the limit alone.
        Survey survey = Survey.of("doc", request(6, true, false), stored, new ChunkLimits(100, 6500));
        assertEquals(
                List.of(new PageRange(0, 2), new PageRange(2, 3), new PageRange(3, 4), new PageRange(4, 6)),
                survey.chunks(),
                "at least one page per chunk, even one over the limit");
    }

    @Test
    void answersCountTowardsTheChunkOnlyWhenQaWasRequested() {
        StoredPages stored = new StoredPages();
        String twoKilobytes = "y".repeat(2000);
        for (int page = 0; page < 4; page++) {
            stored.text(page, "t").answers(page, answer(0, twoKilobytes, 0.5));
        }
        assertEquals(
                1,
                Survey.of("doc", request(4, true, false, "Q"), stored, new ChunkLimits(100, 4000))
                        .chunks()
                        .size());
        assertEquals(
                4,
                Survey.of("doc", request(4, true, true, "Q"), stored, new ChunkLimits(100, 4000))
                        .chunks()
                        .size(),
                "each chunk repeats the best answer (2 KB) and carries its own candidates");
    }

    @Test
    void failedAndMissingPagesAndTheBestAnswerOverTheDocument() {
        StoredPages stored = new StoredPages()
                .text(0, "a")
                .answers(0, answer(0, "early", 0.8), answer(7, "stray", 1))
                .failure(1, "CORRUPT_IMAGE")
                .text(2, "c")
                .text(3, "d")
                .answers(3, answer(0, "tie, later page", 0.8));
        Survey survey = Survey.of("doc", request(5, true, true, "Q", "R"), stored, WIDE);
        assertEquals(List.of(1), survey.failedPages());
        assertEquals(List.of(2, 4), survey.missingPages(), "page 2 lacks its answers, page 4 everything");
        assertEquals(new Candidate(0, "early", 0.8, false, null), survey.best(0), "a tie goes to the earlier page");
        assertNull(survey.best(1), "nobody answered R; an answer to a question never asked is ignored");
    }

    @Test
    void theContentOfAChunkShowsEveryPageOfItsRange() {
        StoredPages stored = new StoredPages()
                .text(0, "a")
                .failure(1, "CORRUPT_IMAGE")
                .text(3, "")
                .text(4, "e")
                .answers(4, answer(0, "yes", 0.7));
        RequestSummary request = request(5, true, true, "Q");
        Survey survey = Survey.of("doc", request, stored, WIDE);
        ChunkContent content = ChunkContent.read(request, survey, stored, new PageRange(1, 5));
        assertEquals(
                List.of(1, 2, 3, 4),
                content.pages().stream().map(PageOutcome::pageIndex).toList());
        assertEquals("CORRUPT_IMAGE", content.pages().get(0).failure());
        assertEquals(PageOutcome.MISSING, content.pages().get(1).failure());
        assertEquals("\fe", content.fullText(), "an empty page text still takes its place");
        assertEquals(
                List.of(new Candidate(4, "yes", 0.7, false, null)),
                content.questions().get(0).candidates());
    }

    @Test
    void aNoAnswerIsShownButNeverTheBest() {
        BoxPlacement evidence = Structures.box(100, 200, 300, 220);
        StoredPages stored = new StoredPages()
                .text(0, "a")
                .answers(0, noAnswer(0, 0.99), noAnswer(1, 0.9))
                .text(1, "b")
                .answers(1, new PageResult.Answer(0, "42", 0.3, false, evidence), noAnswer(1, 0.8));
        RequestSummary request = request(2, true, true, "Q", "R");
        Survey survey = Survey.of("doc", request, stored, WIDE);
        assertEquals(
                new Candidate(1, "42", 0.3, false, evidence),
                survey.best(0),
                "a confident no-answer loses to any answer");
        assertNull(survey.best(1), "only no-answers: no best");

        ChunkContent content = ChunkContent.read(request, survey, stored, new PageRange(0, 2));
        QuestionOutcome q = content.questions().get(0);
        assertFalse(q.noAnswer());
        assertEquals(
                List.of(
                        new Candidate(0, "not on this page", 0.99, true, null),
                        new Candidate(1, "42", 0.3, false, evidence)),
                q.candidates(),
                "no-answers stay among the candidates");
        QuestionOutcome r = content.questions().get(1);
        assertTrue(r.noAnswer());
        assertNull(r.best());
        assertEquals(
                List.of(true, true),
                r.candidates().stream().map(Candidate::noAnswer).toList());
    }

    static PageResult.Answer noAnswer(int question, double confidence) {
        return new PageResult.Answer(question, "not on this page", confidence, true, null);
    }

    @Test
    void theMarkdownOfAChunkIsEachPagesStructureMarkdownUnderItsPageMarker() {
        PageStructure report = Structures.report(0, 200).build();
        PageStructure blank = new PageStructure(OcrMode.TEXT, "", List.of(), List.of(), List.of(), null);
        StoredPages stored = new StoredPages()
                .text(0, "raw output of page 0", report)
                .failure(1, "CORRUPT_IMAGE")
                .text(2, "text of an older worker, no structure\n\n")
                .text(3, "", blank);
        RequestSummary request = request(5, true, false);
        Survey survey = Survey.of("doc", request, stored, WIDE);

        ChunkContent all = ChunkContent.read(request, survey, stored, new PageRange(0, 5));
        assertEquals(
                "<!-- page 1 -->\n" + report.getMarkdown() + "\n\n"
                        + "<!-- page 3 -->\ntext of an older worker, no structure\n\n"
                        + "<!-- page 4 -->",
                all.markdown(),
                "failed and missing pages are left out; an empty page is its marker alone");
        assertSame(report, all.pages().get(0).structure());
        assertNull(all.pages().get(1).structure());
        assertNull(all.pages().get(2).structure());
        assertEquals(
                "raw output of page 0\f" + "text of an older worker, no structure\n\n" + "\f",
                all.fullText(),
                "fullText stays the model's text");

        ChunkContent tail = ChunkContent.read(request, survey, stored, new PageRange(2, 5));
        assertEquals(
                "<!-- page 3 -->\ntext of an older worker, no structure\n\n<!-- page 4 -->",
                tail.markdown(),
                "page numbers are the document's, not the chunk's");
    }

    @Test
    void aPagesStructureCountsTowardsTheChunk() {
        StoredPages plain = new StoredPages();
        StoredPages structured = new StoredPages();
        for (int page = 0; page < 4; page++) {
            plain.text(page, "t");
            structured.text(page, "t", Structures.report(page, 2000).build());
        }
        // Per page some 2.3 KB of markdown and 5 KB of structure (the paragraph is in both, and in its block).
        ChunkLimits limits = new ChunkLimits(100, 16 * 1024);
        assertEquals(
                1,
                Survey.of("doc", request(4, true, false), plain, limits)
                        .chunks()
                        .size());
        assertTrue(
                Survey.of("doc", request(4, true, false), structured, limits)
                                .chunks()
                                .size()
                        > 1,
                "four pages of some 7 KB each do not fit 16 KiB");
    }

    @Test
    void theSizeOfANestedRecordIsItsAvroBinaryLength() throws IOException {
        PageStructure structure = Structures.report(3, 500).build();
        // A single-object encoding is the binary encoding behind a 10-byte header (marker and schema fingerprint).
        assertEquals(structure.toByteBuffer().remaining() - 10, AvroSize.of(structure));
        assertEquals(12 * Double.BYTES, AvroSize.of(Structures.box(1, 2, 3, 4)), "a box is twelve doubles");
    }

    @Test
    void theUtf8EstimateIsTheEncodedLength() {
        List<String> texts = new ArrayList<>(List.of("", "ascii", "Grüße", "5 €", "𝄞 clef", "mixed é€𝄞x"));
        for (String text : texts) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Survey.utf8(text), text);
        }
    }
}
