package io.pagestream.assembler.topology;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.pagestream.assembler.output.DocumentOutputs;
import io.pagestream.assembler.output.PageSource;
import io.pagestream.assembler.state.DocumentProgress;
import io.pagestream.assembler.state.DocumentProgress.Phase;
import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.RequestSummary;
import io.pagestream.assembler.state.StoreKeys;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageOcr;
import io.pagestream.topics.Deletions;
import io.pagestream.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Assembles the documents of one partition. A record changes state only when it brings something new: a request not
 * seen yet, or a part of a page (text, answers, failure) not seen yet. Anything else (a re-delivery, a result for a
 * closed document) leaves the stores as they are and emits nothing, so each document is closed, and its outputs
 * forwarded, exactly once. Page results that come before their request are kept and counted when it arrives.
 *
 * <p>A tombstone on {@code documents.requests} deletes the document (see {@link Deletions}).
 *
 * <p>Time is the wall clock: a punctuation closes documents that saw nothing new for the timeout (INCOMPLETE, or
 * dropped if their request never came) and removes closed documents after the retention.
 */
final class DocumentAssembler implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private static final System.Logger LOG = System.getLogger(DocumentAssembler.class.getName());
    private static final StringSerializer KEYS = new StringSerializer();

    private final AssemblerSettings settings;
    private final DocumentTracing tracing;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, DocumentProgress> documents;
    private KeyValueStore<String, PageResult> pages;
    private KeyValueStore<String, String> deadlines;

    DocumentAssembler(AssemblerSettings settings, DocumentTracing tracing) {
        this.settings = settings;
        this.tracing = tracing;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> processorContext) {
        context = processorContext;
        documents = context.getStateStore(AssemblerTopology.DOCUMENTS_STORE);
        pages = context.getStateStore(AssemblerTopology.PAGES_STORE);
        deadlines = context.getStateStore(AssemblerTopology.DEADLINES_STORE);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::reviewDeadlines);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String documentId = record.key();
        if (documentId != null && record.value() == null && fromRequests()) {
            delete(documentId, record);
            return;
        }
        if (documentId == null || record.value() == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format("skipped a record without %s", documentId == null ? "key (document id)" : "value"));
            return;
        }
        long now = context.currentSystemTimeMs();
        DocumentProgress stored = documents.get(documentId);
        if (stored != null && !stored.open()) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> String.format(
                            "ignored a %s for closed document %s",
                            record.value().getSchema().getName(), documentId));
            return;
        }
        DocumentProgress progress = stored != null ? stored : DocumentProgress.opened(documentId, now);
        DocumentProgress next =
                switch (record.value()) {
                    case DocumentRequest request -> withRequest(progress, request, now);
                    case PageOcr ocr -> withPage(progress, ocr.getPageIndex(), now, page -> page.withOcr(ocr));
                    case PageAnswers answers ->
                        withPage(progress, answers.getPageIndex(), now, page -> page.withAnswers(answers));
                    case PageFailure failure ->
                        withPage(progress, failure.getPageIndex(), now, page -> page.withFailure(failure));
                    default -> progress;
                };
        if (next == progress) {
            return;
        }
        if (stored == null) {
            schedule(now + settings.timeout().toMillis(), documentId);
        }
        if (next.allPagesDone()) {
            close(next, Phase.COMPLETED, now, tracing.parent(record, next.request()));
        } else {
            documents.put(documentId, next);
        }
    }

    private DocumentProgress withRequest(DocumentProgress progress, DocumentRequest request, long now) {
        if (progress.request() != null) {
            return progress;
        }
        RequestSummary summary = RequestSummary.of(request);
        if (summary.pageCount() < 1) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format(
                            "ignored the request of document %s: it has %d pages",
                            progress.documentId(), summary.pageCount()));
            return progress;
        }
        int done = 0;
        try (KeyValueIterator<String, PageResult> held =
                PageSource.of(pages, progress.documentId()).read(0, summary.pageCount())) {
            while (held.hasNext()) {
                if (held.next().value.done(summary)) {
                    done++;
                }
            }
        }
        return progress.withRequest(summary, done, now);
    }

    private DocumentProgress withPage(
            DocumentProgress progress, int pageIndex, long now, UnaryOperator<PageResult> merge) {
        RequestSummary request = progress.request();
        if (pageIndex < 0 || request != null && !request.hasPage(pageIndex)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format(
                            "ignored a result for page %d of document %s, which has %s pages",
                            pageIndex,
                            progress.documentId(),
                            request == null ? "an unknown number of" : request.pageCount()));
            return progress;
        }
        String key = StoreKeys.page(progress.documentId(), pageIndex);
        PageResult stored = pages.get(key);
        PageResult before = stored != null ? stored : PageResult.empty(pageIndex);
        PageResult after = merge.apply(before);
        if (after == before) {
            return progress;
        }
        pages.put(key, after);
        return progress.withPage(request != null && !before.done(request) && after.done(request), now);
    }

    /** Emits the document's outputs, each carrying the context of a span continuing {@code trace}. */
    private void close(DocumentProgress progress, Phase outcome, long now, Context trace) {
        String documentId = progress.documentId();
        Span span = tracing.document(trace, documentId, outcome, progress.request());
        try {
            DocumentOutputs.emit(
                    documentId,
                    progress.request(),
                    outcome == Phase.COMPLETED,
                    settings.timeout(),
                    now,
                    PageSource.of(pages, documentId),
                    settings.chunkLimits(),
                    settings.statusMaxMissingPages(),
                    output -> context.forward(new Record<>(documentId, output, now, tracing.headers(span))));
        } finally {
            span.end();
        }
        documents.put(documentId, progress.closed(outcome, now));
        schedule(now + settings.retention().toMillis(), documentId);
    }

    /**
     * Due deadlines are looked at in time order. A deadline is only a reminder: the document's own times decide, so a
     * document that saw activity since is simply reminded again later, and one closed since gets its retention.
     */
    private void reviewDeadlines(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> all = deadlines.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> deadline = all.next();
                if (StoreKeys.deadlineTime(deadline.key) > now) {
                    break;
                }
                due.add(deadline);
            }
        }
        for (KeyValue<String, String> deadline : due) {
            deadlines.delete(deadline.key);
            review(deadline.value, now);
        }
    }

    private void review(String documentId, long now) {
        DocumentProgress progress = documents.get(documentId);
        if (progress == null) {
            return;
        }
        long deadline = progress.open()
                ? progress.lastActivityAt() + settings.timeout().toMillis()
                : progress.closedAt() + settings.retention().toMillis();
        if (deadline > now) {
            schedule(deadline, documentId);
        } else if (!progress.open()) {
            forget(documentId);
        } else if (progress.request() == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format(
                            "dropped the page results of document %s: its request did not come within %s",
                            documentId, settings.timeout()));
            forget(documentId);
        } else {
            close(progress, Phase.INCOMPLETE, now, tracing.parent(progress.request()));
        }
    }

    private boolean fromRequests() {
        return context.recordMetadata()
                .map(m -> Topics.DOCUMENTS_REQUESTS.name().equals(m.topic()))
                .orElse(false);
    }

    /**
     * A deletion ({@link Deletions}): the document and its pages leave the stores, open or closed, and a DELETED status
     * says so, carrying the tenant of the stored request (the tombstone's when the request is gone). Results that
     * arrive for it afterwards are held and dropped after the timeout, as results without a request are; a request
     * sent again starts the document afresh.
     */
    private void delete(String documentId, Record<String, SpecificRecord> tombstone) {
        long now = context.currentSystemTimeMs();
        DocumentProgress stored = documents.get(documentId);
        RequestSummary request = stored == null ? null : stored.request();
        forget(documentId);
        String tenant = request != null
                ? request.tenant()
                : Deletions.tenant(tombstone.headers()).orElse(RequestSummary.DEFAULT_TENANT);
        LOG.log(
                System.Logger.Level.INFO,
                String.format(
                        "deleted document %s (%s)",
                        documentId,
                        stored == null
                                ? "not in the stores"
                                : stored.phase().name().toLowerCase()));
        context.forward(new Record<>(
                documentId,
                DocumentStatus.newBuilder()
                        .setDocumentId(documentId)
                        .setState(DocumentState.DELETED)
                        .setPageCount(request == null ? 0 : request.pageCount())
                        .setAt(Instant.ofEpochMilli(now))
                        .setTraceparent(request == null ? null : request.traceparent())
                        .setTenant(tenant)
                        .setMessage("deleted by its owner")
                        .build(),
                now,
                tombstone.headers()));
    }

    private void forget(String documentId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, PageResult> stored = pages.prefixScan(StoreKeys.pagePrefix(documentId), KEYS)) {
            stored.forEachRemaining(page -> keys.add(page.key));
        }
        keys.forEach(pages::delete);
        documents.delete(documentId);
    }

    private void schedule(long at, String documentId) {
        deadlines.put(StoreKeys.deadline(at, documentId), documentId);
    }
}
