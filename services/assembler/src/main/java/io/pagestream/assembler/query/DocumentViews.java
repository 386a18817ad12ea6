package io.pagestream.assembler.query;

import io.pagestream.assembler.output.ChunkContent;
import io.pagestream.assembler.output.ChunkLimits;
import io.pagestream.assembler.output.PageRange;
import io.pagestream.assembler.output.PageSource;
import io.pagestream.assembler.output.Survey;
import io.pagestream.assembler.state.DocumentProgress;
import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.RequestSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Builds a document's view from the assembler's stores, with the same functions that build its output records. */
public final class DocumentViews {
    private DocumentViews() {}

    /**
     * @param tenant the caller's tenant, whose documents alone are shown (another's is empty, as an unknown one, and
     *               so is one whose request, and with it its tenant, has not come yet); null: every document
     */
    public static Optional<DocumentView> of(
            String documentId,
            String tenant,
            ReadOnlyKeyValueStore<String, DocumentProgress> documents,
            ReadOnlyKeyValueStore<String, PageResult> pages,
            boolean withResults) {
        DocumentProgress progress = documents.get(documentId);
        if (progress == null
                || tenant != null
                        && (progress.request() == null
                                || !progress.request().tenant().equals(tenant))) {
            return Optional.empty();
        }
        DocumentView.State state =
                switch (progress.phase()) {
                    case OPEN -> DocumentView.State.PROCESSING;
                    case COMPLETED -> DocumentView.State.COMPLETED;
                    case INCOMPLETE -> DocumentView.State.INCOMPLETE;
                };
        Instant lastActivity = Instant.ofEpochMilli(progress.lastActivityAt());
        Instant closedAt = progress.open() ? null : Instant.ofEpochMilli(progress.closedAt());
        RequestSummary request = progress.request();
        if (request == null) {
            return Optional.of(new DocumentView(
                    documentId, state, null, 0, List.of(), List.of(), null, lastActivity, closedAt, null));
        }
        PageSource source = PageSource.of(pages, documentId);
        Survey survey = Survey.of(documentId, request, source, ChunkLimits.UNBOUNDED);
        DocumentView.Results results = null;
        if (withResults && !progress.open()) {
            ChunkContent content = ChunkContent.read(request, survey, source, new PageRange(0, request.pageCount()));
            results = new DocumentView.Results(
                    request.ocr() ? content.pages() : null,
                    request.ocr() ? content.fullText() : null,
                    request.ocr() ? content.markdown() : null,
                    request.qa() ? content.questions() : null);
        }
        return Optional.of(new DocumentView(
                documentId,
                state,
                request.pageCount(),
                request.pageCount() - survey.missingPages().size(),
                survey.failedPages(),
                survey.missingPages(),
                Instant.ofEpochMilli(request.submittedAt()),
                lastActivity,
                closedAt,
                results));
    }
}
