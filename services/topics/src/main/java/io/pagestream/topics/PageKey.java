package io.pagestream.topics;

/** The key of {@code documents.pages}: {@code documentId/pageIndex}, so one document's pages spread over partitions. */
public record PageKey(String documentId, int pageIndex) {

    public PageKey {
        if (documentId == null || documentId.isEmpty() || documentId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("document id must be non-empty and contain no '/': " + documentId);
        }
        if (pageIndex < 0) {
            throw new IllegalArgumentException("page index must be >= 0: " + pageIndex);
        }
    }

    public static PageKey parse(String key) {
        int slash = key == null ? -1 : key.lastIndexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new IllegalArgumentException("not a page key (documentId/pageIndex): " + key);
        }
        try {
            return new PageKey(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a page key (documentId/pageIndex): " + key, e);
        }
    }

    @Override
    public String toString() {
        return documentId + "/" + pageIndex;
    }
}
