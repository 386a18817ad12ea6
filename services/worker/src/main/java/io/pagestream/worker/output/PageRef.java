package io.pagestream.worker.output;

import io.pagestream.schema.PageImage;
import io.pagestream.topics.PageKey;

/**
 * Which page a result or failure is about. Built from the record's value, or from its key alone when the value
 * could not be read (then the page count, trace context and tenant are unknown).
 */
public record PageRef(String documentId, int pageIndex, int pageCount, String traceparent, String tenant) {
    /** The tenant of a page whose record could not be read: the contracts' default. */
    static final String UNKNOWN_TENANT = "default";

    public static PageRef of(PageImage page) {
        return new PageRef(
                page.getDocumentId(),
                page.getPageIndex(),
                page.getPageCount(),
                page.getTraceparent(),
                page.getTenant());
    }

    /** From a {@code documentId/pageIndex} key; a key that is not one still names a document, with page -1. */
    public static PageRef ofKey(String key) {
        if (key == null || key.isEmpty()) {
            return new PageRef("", -1, 0, null, UNKNOWN_TENANT);
        }
        try {
            PageKey parsed = PageKey.parse(key);
            return new PageRef(parsed.documentId(), parsed.pageIndex(), 0, null, UNKNOWN_TENANT);
        } catch (IllegalArgumentException e) {
            return new PageRef(key, -1, 0, null, UNKNOWN_TENANT);
        }
    }
}
