package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.RequestSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One read of a whole document: which pages failed or are missing, each question's best answer, and how to split the
 * outputs into chunks of consecutive pages that stay under the record size limit.
 *
 * <p>Chunking rule: pages are taken in order into the current chunk until one more would exceed the page limit, or
 * would take the chunk's estimated size over the byte limit; then a new chunk starts. A page counts its text twice
 * (for {@code pages} and {@code fullText}), its structure at its exact Avro size, its markdown (in {@code markdown})
 * and its answers with their evidence; every chunk counts what it repeats: ids, metadata, questions and best
 * answers. Both outputs use the same ranges, so chunk i of documents.ocr and of documents.answers cover the same pages.
 * A chunk always holds at least one page.
 */
public final class Survey {
    /** Estimated bytes of a page's or an answer's fixed fields (index, confidence, dimensions, unions, lengths). */
    static final int FIXED_FIELD_BYTES = 32;
    /**
     * Estimated bytes of a record's fixed fields (counts, flags, timestamp, the lengths of its texts, arrays and map,
     * the wire format's header), the document id aside.
     */
    static final int RECORD_BYTES = 80;

    private final List<PageRange> chunks;
    private final List<Candidate> best;
    private final List<Integer> failedPages;
    private final List<Integer> missingPages;

    private Survey(
            List<PageRange> chunks, List<Candidate> best, List<Integer> failedPages, List<Integer> missingPages) {
        this.chunks = chunks;
        this.best = best;
        this.failedPages = failedPages;
        this.missingPages = missingPages;
    }

    public static Survey of(String documentId, RequestSummary request, PageSource source, ChunkLimits limits) {
        int pageCount = request.pageCount();
        int questionCount = request.questions().size();
        long[] ocrBytes = new long[pageCount];
        long[] answerBytes = new long[pageCount];
        Candidate[] best = new Candidate[questionCount];
        List<Integer> failed = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        boolean measure = limits.bytesBounded();
        PageWalk.over(source, new PageRange(0, pageCount), (page, result) -> {
            if (result == null || !result.done(request)) {
                missing.add(page);
            } else if (result.failed()) {
                failed.add(page);
            }
            PageOutcome outcome = PageOutcome.of(page, result);
            ocrBytes[page] = !measure
                    ? 0
                    : FIXED_FIELD_BYTES
                            + 2L * utf8(outcome.text())
                            + utf8(outcome.failure())
                            + nestedBytes(outcome.structure())
                            + (outcome.text() == null ? 0 : DocumentMarkdown.bytes(page, outcome.markdown()));
            for (PageResult.Answer answer : answersOf(result, questionCount)) {
                Candidate candidate = candidate(page, answer);
                best[answer.questionIndex()] = Candidate.better(best[answer.questionIndex()], candidate);
                answerBytes[page] += measure ? candidateBytes(candidate) : 0;
            }
        });
        long shared = RECORD_BYTES + utf8(documentId) + metadataBytes(request.metadata());
        long answersShared = shared;
        for (int q = 0; q < questionCount; q++) {
            answersShared += FIXED_FIELD_BYTES
                    + utf8(request.questions().get(q))
                    + (best[q] == null ? 0 : candidateBytes(best[q]));
        }
        List<PageRange> chunks = plan(
                pageCount,
                limits,
                request.ocr() ? ocrBytes : null,
                shared,
                request.qa() ? answerBytes : null,
                answersShared);
        return new Survey(
                chunks, Collections.unmodifiableList(Arrays.asList(best)), List.copyOf(failed), List.copyOf(missing));
    }

    static Candidate candidate(int pageIndex, PageResult.Answer answer) {
        return new Candidate(pageIndex, answer.text(), answer.confidence(), answer.noAnswer(), answer.evidence());
    }

    private static long candidateBytes(Candidate candidate) {
        return FIXED_FIELD_BYTES + utf8(candidate.text()) + nestedBytes(candidate.evidence());
    }

    /** A nullable record in a union: the branch index, and the record when there is one. */
    private static long nestedBytes(SpecificRecord record) {
        return 1 + (record == null ? 0 : AvroSize.of(record));
    }

    /** The answers of a page that count: those to a question the request asked. */
    static List<PageResult.Answer> answersOf(PageResult result, int questionCount) {
        if (result == null || result.answers() == null) {
            return List.of();
        }
        return result.answers().stream()
                .filter(a -> a.questionIndex() >= 0 && a.questionIndex() < questionCount)
                .toList();
    }

    private static List<PageRange> plan(
            int pageCount,
            ChunkLimits limits,
            long[] ocrBytes,
            long ocrShared,
            long[] answerBytes,
            long answersShared) {
        List<PageRange> ranges = new ArrayList<>();
        int from = 0;
        long ocr = ocrShared;
        long answers = answersShared;
        for (int page = 0; page < pageCount; page++) {
            long ocrPage = ocrBytes == null ? 0 : ocrBytes[page];
            long answersPage = answerBytes == null ? 0 : answerBytes[page];
            boolean full = page - from >= limits.maxPages()
                    || page > from && (ocr + ocrPage > limits.maxBytes() || answers + answersPage > limits.maxBytes());
            if (full) {
                ranges.add(new PageRange(from, page));
                from = page;
                ocr = ocrShared;
                answers = answersShared;
            }
            ocr += ocrPage;
            answers += answersPage;
        }
        ranges.add(new PageRange(from, pageCount));
        return List.copyOf(ranges);
    }

    private static long metadataBytes(Map<String, String> metadata) {
        return metadata.entrySet().stream()
                .mapToLong(e -> 2 + utf8(e.getKey()) + utf8(e.getValue()))
                .sum();
    }

    /** The UTF-8 length of a text, counted without encoding it (an unpaired surrogate counts high, which is safe). */
    static long utf8(String text) {
        if (text == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Consecutive page ranges covering the document, in order. */
    public List<PageRange> chunks() {
        return chunks;
    }

    /** The best candidate of question {@code questionIndex} over the whole document, or null when none answered. */
    public Candidate best(int questionIndex) {
        return best.get(questionIndex);
    }

    public List<Integer> failedPages() {
        return failedPages;
    }

    /** Pages without every requested result and without a failure. */
    public List<Integer> missingPages() {
        return missingPages;
    }
}
