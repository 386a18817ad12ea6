package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;
import org.apache.kafka.streams.state.KeyValueIterator;

/** Reads a document's stored page results: the processor's store, or a queried store behind the REST API. */
@FunctionalInterface
public interface PageSource {

    /** The results of pages [from, to) in page order; a page without any result is absent. */
    KeyValueIterator<String, PageResult> read(int from, int to);
}
