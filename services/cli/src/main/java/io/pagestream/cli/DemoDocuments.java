package io.pagestream.cli;

import io.pagestream.cli.Samples.Sample;
import io.pagestream.topics.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What {@code demo} knows of each submitted document, fed with every record of the pipeline's topics: per-page
 * progress goes to {@code progress}, each document's OCR and answers to {@code out} as they arrive (readable text, or
 * with {@code json} one line per output record as {@code watch --json} prints it). A document is finished once its
 * final status and all its output chunks are in.
 */
final class DemoDocuments {
    private final PrintWriter out;
    private final PrintWriter progress;
    private final boolean json;
    private final String note;
    private final Map<String, Document> documents = new LinkedHashMap<>();
    /** Records of a document whose submission has not been answered yet: the pipeline can be faster than the reply. */
    private final List<ConsumerRecord<String, GenericRecord>> early = new ArrayList<>();

    /** With {@code randomModel} each heading says that the text is meaningless. */
    DemoDocuments(PrintWriter out, PrintWriter progress, boolean json, boolean randomModel) {
        this.out = out;
        this.progress = progress;
        this.json = json;
        this.note = randomModel ? "RANDOM MODEL: meaningless text" : "";
    }

    private static final class Document {
        final String id;
        final Sample sample;
        final int pageCount;
        final Set<Integer> read = new TreeSet<>();
        final Set<Integer> answered = new TreeSet<>();
        final Set<Integer> failed = new TreeSet<>();
        final Set<Integer> ocrChunks = new TreeSet<>();
        final Set<Integer> answerChunks = new TreeSet<>();
        int ocrChunkCount = -1;
        int answerChunkCount = -1;
        int ocrPages;
        int answerSets;
        String state;

        Document(String id, Sample sample, int pageCount) {
            this.id = id;
            this.sample = sample;
            this.pageCount = pageCount;
        }

        boolean finished() {
            return state != null
                    && !state.equals("ACCEPTED")
                    && !state.equals("PAGE_FAILED")
                    && (state.equals("REJECTED")
                            || ocrChunks.size() == ocrChunkCount
                                    && (sample.questions().isEmpty() || answerChunks.size() == answerChunkCount));
        }

        /** COMPLETED, every page read, one answer set per question. */
        boolean succeeded() {
            return finished()
                    && state.equals("COMPLETED")
                    && ocrPages == pageCount
                    && answerSets == sample.questions().size();
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%s: %s, %d/%d pages read, %d/%d pages answered%s, OCR %s, answers %s",
                    sample.name(),
                    state == null ? "no status yet" : state,
                    read.size(),
                    pageCount,
                    answered.size(),
                    pageCount,
                    failed.isEmpty() ? "" : ", failed pages " + failed,
                    ocrChunkCount < 0 ? "not yet" : ocrPages + " pages",
                    answerChunkCount < 0
                            ? "not yet"
                            : answerSets + " of " + sample.questions().size() + " questions");
        }
    }

    void submitted(String documentId, Sample sample, int pageCount) {
        documents.put(documentId, new Document(documentId, sample, pageCount));
        List<ConsumerRecord<String, GenericRecord>> waiting = new ArrayList<>(early);
        early.clear();
        waiting.forEach(this::accept);
    }

    void accept(ConsumerRecord<String, GenericRecord> record) {
        GenericRecord value = record.value();
        if (value == null) {
            return;
        }
        Document doc = documents.get(String.valueOf(value.get("documentId")));
        if (doc == null) {
            early.add(record);
            return;
        }
        String topic = record.topic();
        if (topic.equals(Topics.PAGES_OCR.name())) {
            page(doc, doc.read, value, "read");
        } else if (topic.equals(Topics.PAGES_ANSWERS.name())) {
            page(doc, doc.answered, value, "answered");
        } else if (topic.equals(Topics.PAGES_DLQ.name())) {
            page(doc, doc.failed, value, "FAILED");
            progress.printf("  %s%n", value.get("message"));
        } else if (topic.equals(Topics.DOCUMENTS_STATUS.name())) {
            status(doc, value);
            if (json) {
                print(record, null);
            }
        } else if (topic.equals(Topics.DOCUMENTS_OCR.name())) {
            doc.ocrChunkCount = (Integer) value.get("chunkCount");
            doc.ocrChunks.add((Integer) value.get("chunkIndex"));
            List<?> pages = (List<?>) value.get("pages");
            doc.ocrPages += pages.size();
            print(record, () -> DemoText.ocr(doc.sample.name(), doc.id, value, note));
        } else if (topic.equals(Topics.DOCUMENTS_ANSWERS.name())) {
            doc.answerChunkCount = (Integer) value.get("chunkCount");
            doc.answerChunks.add((Integer) value.get("chunkIndex"));
            doc.answerSets += ((List<?>) value.get("questions")).size();
            print(record, () -> DemoText.answers(doc.sample.name(), value, note));
        }
        progress.flush();
    }

    private void page(Document doc, Set<Integer> pages, GenericRecord value, String what) {
        int index = (Integer) value.get("pageIndex");
        pages.add(index);
        progress.printf(
                "%s: page %d/%d %s (%d of %d pages done)%n",
                doc.sample.name(), index + 1, doc.pageCount, what, pages.size(), doc.pageCount);
    }

    private void status(Document doc, GenericRecord value) {
        String state = String.valueOf(value.get("state"));
        if (!state.equals("PAGE_FAILED")) {
            doc.state = state;
        }
        Object reason = value.get("reasonCode");
        progress.printf(
                "%s: %s%s (status event: %s of %s pages done)%n",
                doc.sample.name(),
                state,
                reason == null ? "" : " " + reason,
                value.get("pagesDone"),
                value.get("pageCount"));
    }

    /** The record as JSON, or in text mode {@code text}'s rendering of it. */
    private void print(ConsumerRecord<String, GenericRecord> record, Supplier<String> text) {
        out.println(json ? RecordJson.of(record) : text.get());
        out.flush();
    }

    /** The ids of the documents submitted. */
    Set<String> documentIds() {
        return Set.copyOf(documents.keySet());
    }

    boolean allFinished() {
        return !documents.isEmpty() && documents.values().stream().allMatch(Document::finished);
    }

    boolean allSucceeded() {
        return allFinished() && documents.values().stream().allMatch(Document::succeeded);
    }

    /** One line per document: its state, pages and outputs so far. */
    List<String> summaries() {
        return documents.values().stream().map(Document::summary).toList();
    }
}
