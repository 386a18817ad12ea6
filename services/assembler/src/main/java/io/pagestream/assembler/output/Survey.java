package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.RequestSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One read of a whole document: which pages failed or are missing, each question's best answer, and how to split the
 * outputs into chunks of consecutive pages that stay under the record size limit.
 *
 * <p>Chunking rule: pages are taken in order into the current chunk until one more would exceed the page limit, or
 * would take the chunk's estimated size (its pages' text twice, for {@code pages} and {@code fullText}, their answers,
 * plus what every chunk repeats: ids, metadata, questions and best answers) over the byte limit; then a new chunk
 * starts. Both outputs use the same ranges, so chunk i of documents.ocr and of documents.answers cover the same pages.
 * A chunk always holds at least one page.
 */
public final class Survey {
    /** Estimated bytes of a page's or an answer's fixed fields (index, confidence, dimensions, unions, lengths). */
    static final int FIXED_FIELD_BYTES = 32;
    /** Estimated bytes of a record's fixed fields (ids, counts, flags, timestamp), the document id aside. */
    static final int RECORD_BYTES = 64;

    private final List<PageRange> chunks;
    private final List<Candidate> best;
    private final List<Integer> failedPages;
    private final List<Integer> missingPages;

    private Survey(List<PageRange> chunks, List<Candidate> best, List<Integer> failedPages,
            List<Integer> missingPages) {
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
        PageWalk.over(source, new PageRange(0, pageCount), (page, result) -> {
            if (result == null || !result.done(request)) {
                missing.add(page);
            } else if (result.failed()) {
                failed.add(page);
            }
            PageOutcome outcome = PageOutcome.of(page, result);
            ocrBytes[page] = FIXED_FIELD_BYTES + 2L * utf8(outcome.text()) + utf8(outcome.failure());
            for (PageResult.Answer answer : answersOf(result, questionCount)) {
                best[answer.questionIndex()] = Candidate.better(best[answer.questionIndex()],
                        new Candidate(page, answer.text(), answer.confidence()));
                answerBytes[page] += FIXED_FIELD_BYTES + utf8(answer.text());
            }
        });
        long shared = RECORD_BYTES + utf8(documentId) + metadataBytes(request.metadata());
        long answersShared = shared;
        for (int q = 0; q < questionCount; q++) {
            answersShared += 2 * FIXED_FIELD_BYTES + utf8(request.questions().get(q))
                    + (best[q] == null ? 0 : utf8(best[q].text()));
        }
        List<PageRange> chunks = plan(pageCount, limits, request.ocr() ? ocrBytes : null, shared,
                request.qa() ? answerBytes : null, answersShared);
        return new Survey(chunks, Collections.unmodifiableList(Arrays.asList(best)), List.copyOf(failed),
                List.copyOf(missing));
    }

    /** The answers of a page that count: those to a question the request asked. */
    static List<PageResult.Answer> answersOf(PageResult result, int questionCount) {
        if (result == null || result.answers() == null) {
            return List.of();
        }
        return result.answers().stream()
                .filter(a -> a.questionIndex() >= 0 && a.questionIndex() < questionCount).toList();
    }

    private static List<PageRange> plan(int pageCount, ChunkLimits limits, long[] ocrBytes, long ocrShared,
            long[] answerBytes, long answersShared) {
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
        return metadata.entrySet().stream().mapToLong(e -> 2 + utf8(e.getKey()) + utf8(e.getValue())).sum();
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
