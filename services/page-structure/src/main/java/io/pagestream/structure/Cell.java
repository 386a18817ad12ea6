package io.pagestream.structure;

/**
 * One table cell as the model wrote it: spans are not expanded, so a cell with {@code colSpan} 2 is one entry of its
 * row and the next entry starts two columns further on.
 *
 * @param header a header cell: {@code <th>}, a row of {@code <thead>}, or a pipe-table row above its {@code |---|} line
 */
public record Cell(String text, int rowSpan, int colSpan, boolean header) {
    public Cell {
        if (text == null) {
            throw new IllegalArgumentException("cell text must not be null");
        }
        if (rowSpan < 1 || colSpan < 1) {
            throw new IllegalArgumentException("spans must be at least 1, got " + rowSpan + " x " + colSpan);
        }
    }

    public static Cell plain(String text) {
        return new Cell(text, 1, 1, false);
    }
}
