package io.pagestream.assembler.output;

/**
 * The markdown of consecutive pages as one text, the format of {@code DocumentOcr.markdown}: each page preceded by a
 * line {@code <!-- page N -->} (N counted from 1), pages separated by a blank line. A page's trailing whitespace is
 * dropped so that the separator is always exactly one blank line; an empty page is its marker line alone.
 */
final class DocumentMarkdown {
    private static final String SEPARATOR = "\n\n";

    private final StringBuilder text = new StringBuilder();

    void add(int pageIndex, String markdown) {
        if (!text.isEmpty()) {
            text.append(SEPARATOR);
        }
        text.append(marker(pageIndex));
        String body = markdown.stripTrailing();
        if (!body.isEmpty()) {
            text.append('\n').append(body);
        }
    }

    /** The UTF-8 bytes a page adds, its separator counted (one too many for the first page: safe for an estimate). */
    static long bytes(int pageIndex, String markdown) {
        return SEPARATOR.length() + marker(pageIndex).length() + 1 + Survey.utf8(markdown);
    }

    private static String marker(int pageIndex) {
        return "<!-- page " + (pageIndex + 1) + " -->";
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
