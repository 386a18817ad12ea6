package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.StoreKeys;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads a document's stored page results: the processor's store, or a queried store behind the REST API. */
@FunctionalInterface
public interface PageSource {

    /** The results of pages [from, to) in page order; a page without any result is absent. */
    KeyValueIterator<String, PageResult> read(int from, int to);

    /** The pages of {@code documentId} in {@code pages}, keyed by {@link StoreKeys#page}. */
    static PageSource of(ReadOnlyKeyValueStore<String, PageResult> pages, String documentId) {
        return (from, to) -> pages.range(StoreKeys.page(documentId, from), StoreKeys.page(documentId, to - 1));
    }
}
