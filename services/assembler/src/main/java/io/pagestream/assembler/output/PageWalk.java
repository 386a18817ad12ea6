package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;
import org.apache.kafka.streams.state.KeyValueIterator;

/** Visits every page of a range in order, with its stored result or null, reading the store once. */
final class PageWalk {

    @FunctionalInterface
    interface Visitor {
        void visit(int pageIndex, PageResult resultOrNull);
    }

    private PageWalk() {}

    static void over(PageSource source, PageRange range, Visitor visitor) {
        try (KeyValueIterator<String, PageResult> stored = source.read(range.from(), range.to())) {
            PageResult next = stored.hasNext() ? stored.next().value : null;
            for (int page = range.from(); page < range.to(); page++) {
                while (next != null && next.pageIndex() < page) {
                    next = stored.hasNext() ? stored.next().value : null;
                }
                visitor.visit(page, next != null && next.pageIndex() == page ? next : null);
            }
        }
    }
}
