package io.pagestream.assembler.state;

/**
 * String keys whose byte order is the order the assembler scans in: a document's pages by page index
 * ({@code documentId/0000000042}), and deadlines by time ({@code 0001767225600000/documentId}). Document ids never
 * contain '/' (ingest guarantees it, see {@code PageKey}), so {@code documentId/} prefixes exactly one document.
 */
public final class StoreKeys {
    private static final int PAGE_DIGITS = 10;
    private static final int TIME_DIGITS = 16;

    private StoreKeys() {}

    public static String page(String documentId, int pageIndex) {
        return documentId + '/' + zeroPadded(pageIndex, PAGE_DIGITS);
    }

    public static String pagePrefix(String documentId) {
        return documentId + '/';
    }

    public static String deadline(long at, String documentId) {
        return zeroPadded(at, TIME_DIGITS) + '/' + documentId;
    }

    public static long deadlineTime(String deadlineKey) {
        return Long.parseLong(deadlineKey, 0, TIME_DIGITS, 10);
    }

    private static String zeroPadded(long value, int digits) {
        if (value < 0) {
            throw new IllegalArgumentException("negative key part: " + value);
        }
        String text = Long.toString(value);
        return "0".repeat(Math.max(0, digits - text.length())) + text;
    }
}
