package io.pagestream.assembler.output;

/** Pages {@code from} (inclusive) to {@code to} (exclusive) of a document. */
public record PageRange(int from, int to) {

    public PageRange {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("not a page range: [" + from + ", " + to + ")");
        }
    }

    public int size() {
        return to - from;
    }
}
