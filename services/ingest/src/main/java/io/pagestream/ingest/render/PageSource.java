package io.pagestream.ingest.render;

import io.pagestream.ingest.limits.Rejected;

/**
 * An opened, inspected document: its page count is known and every limit checked; pages are rendered one at a time,
 * so memory holds one page whatever the document's length.
 */
public interface PageSource extends AutoCloseable {

    int pageCount();

    /**
     * Page {@code index} (0-based) as an opaque RGB image of the size {@link TargetSize} gives, with the size of the
     * original page and the scale it was rendered at.
     */
    RenderedPage render(int index) throws Rejected;

    @Override
    void close();
}
