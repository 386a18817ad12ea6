package io.pagestream.structure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table back into markdown: a pipe table where one can hold it (no spans, at most one header row, on top), HTML
 * otherwise. A pipe table needs a header line, so a table that declared none gets its first row there; the
 * {@link Table} itself still says no cell is a header.
 */
final class TableMarkdown {
    private TableMarkdown() {}

    static boolean pipeable(Table table) {
        if (table.hasSpans() || table.rows().isEmpty()) {
            return false;
        }
        for (int r = 1; r < table.rows().size(); r++) {
            if (table.rows().get(r).stream().anyMatch(Cell::header)) {
                return false;
            }
        }
        return true;
    }

    static String render(Table table, List<String> alignments) {
        return pipeable(table) ? pipe(table, alignments) : html(table);
    }

    /** @param alignments the separator cells as written ({@code ---}, {@code :---:} …), or empty for {@code ---} */
    static String pipe(Table table, List<String> alignments) {
        StringBuilder out = new StringBuilder();
        List<List<Cell>> rows = table.rows();
        row(out, rows.get(0), table.columns());
        List<String> separator = new ArrayList<>();
        for (int c = 0; c < table.columns(); c++) {
            separator.add(c < alignments.size() ? alignments.get(c) : "---");
        }
        out.append("\n| ").append(String.join(" | ", separator)).append(" |");
        for (int r = 1; r < rows.size(); r++) {
            out.append('\n');
            row(out, rows.get(r), table.columns());
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<Cell> cells, int columns) {
        out.append('|');
        for (int c = 0; c < columns; c++) {
            String text = c < cells.size() ? cells.get(c).text().replace("|", "\\|") : "";
            out.append(' ').append(text).append(text.isEmpty() ? "|" : " |");
        }
    }

    static String html(Table table) {
        StringBuilder out = new StringBuilder("<table>");
        for (List<Cell> row : table.rows()) {
            out.append("\n<tr>");
            for (Cell cell : row) {
                String tag = cell.header() ? "th" : "td";
                out.append('<').append(tag);
                if (cell.rowSpan() > 1) {
                    out.append(" rowspan=\"").append(cell.rowSpan()).append('"');
                }
                if (cell.colSpan() > 1) {
                    out.append(" colspan=\"").append(cell.colSpan()).append('"');
                }
                out.append('>')
                        .append(escape(cell.text()))
                        .append("</")
                        .append(tag)
                        .append('>');
            }
            out.append("</tr>");
        }
        return out.append("\n</table>").toString();
    }

    /** A table's block text: cells tab-separated, one row a line. */
    static String text(Table table) {
        return table.rows().stream()
                .map(row -> row.stream().map(Cell::text).collect(Collectors.joining("\t")))
                .collect(Collectors.joining("\n"));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
