package io.pagestream.structure;

import java.util.List;

/**
 * A table as rows of cells.
 *
 * @param columns the table's width in grid columns, spans counted
 */
public record Table(List<List<Cell>> rows, int columns) {
    public Table {
        rows = rows.stream().map(List::copyOf).toList();
    }

    public boolean hasSpans() {
        return rows.stream().flatMap(List::stream).anyMatch(c -> c.rowSpan() > 1 || c.colSpan() > 1);
    }
}
