package io.pagestream.structure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTML table as the model writes it ({@code <table><tr><td colspan=2>…}), read leniently the way browsers do:
 * omitted {@code </td>} and {@code </tr>} are fine, {@code <th>} and {@code <thead>} rows are headers, tags inside a
 * cell are dropped (their text kept), a nested table's cells become text of the outer cell. Flagged broken: rows of
 * uneven width once spans are placed (padded at the end), text outside any cell, no {@code </table>}, a tag cut
 * short. With text outside the cells, or no cell at all, the table stays text.
 */
final class HtmlTables {
    /** A tag, or one cut short: by the end, by the next tag, or by the end of its line (the model writes tags on one line). */
    static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>\n]*)(>|$|(?=[<\n]))");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SPAN = Pattern.compile("(?i)\\b(colspan|rowspan)\\s*=\\s*[\"']?\\s*(\\d{1,9})");
    /** Larger spans are read as this: no page has a wider table, and it bounds the grid placed below. */
    static final int MAX_SPAN = 100;
    /** Cells of padding beyond which a ragged table is only flagged, not padded (a hostile output stays cheap). */
    private static final int MAX_PADDING = 100_000;

    private final String html;
    private final Set<Flag> flags = EnumSet.noneOf(Flag.class);
    private final List<List<Cell>> rows = new ArrayList<>();
    private List<Cell> row;
    private StringBuilder cell;
    private int rowSpan = 1;
    private int colSpan = 1;
    private boolean headerCell;
    private boolean inHead;
    private int depth;
    private boolean closed;
    private final StringBuilder stray = new StringBuilder();
    private final StringBuilder caption = new StringBuilder();
    private boolean inCaption;

    private HtmlTables(String html) {
        this.html = html;
    }

    /**
     * @param html  from {@code <table} up to and including its {@code </table>}, or to where the text ended
     * @param atEnd whether the text ends the whole output
     * @return the caption paragraph if the table has one, then the table (or its text when it cannot be read)
     */
    static List<Draft> parse(String html, int start, int end, boolean atEnd) {
        return new HtmlTables(html).run(start, end, atEnd);
    }

    private List<Draft> run(int start, int end, boolean atEnd) {
        Matcher m = TAG.matcher(html);
        int at = 0;
        while (m.find()) {
            text(html.substring(at, m.start()));
            at = m.end();
            if (!m.group(4).equals(">")) {
                flags.add(Flag.BROKEN_TABLE); // a tag cut short
                if (m.end() == html.length() && atEnd) {
                    flags.add(Flag.TRUNCATED);
                }
                continue;
            }
            tag(m.group(1).equals("/"), m.group(2).toLowerCase(Locale.ROOT), m.group(3));
            if (closed) {
                break;
            }
        }
        if (closed) {
            stray.append(html, at, html.length()); // after the </table> that closed it: not the table's
        } else {
            text(html.substring(at));
        }
        if (!closed) {
            flags.add(Flag.BROKEN_TABLE);
            if (atEnd) {
                flags.add(Flag.TRUNCATED);
            }
        }
        closeRow();
        List<Draft> drafts = new ArrayList<>();
        String captionText = caption.toString().strip();
        if (!captionText.isEmpty()) {
            drafts.add(Draft.of(BlockType.PARAGRAPH, 0, captionText, captionText, start, end));
        }
        String raw = html.strip();
        if (rows.isEmpty() || !stray.toString().isBlank()) {
            flags.add(Flag.BROKEN_TABLE);
            drafts.add(Draft.of(BlockType.PARAGRAPH, 0, raw, raw, start, end).plus(flags));
            return drafts;
        }
        Table table = place();
        drafts.add(Draft.of(
                        BlockType.TABLE,
                        0,
                        TableMarkdown.text(table),
                        TableMarkdown.render(table, List.of()),
                        start,
                        end)
                .withTable(table)
                .plus(flags));
        return drafts;
    }

    private void tag(boolean closing, String name, String attributes) {
        if (name.equals("table")) {
            if (closing) {
                depth--;
                if (depth <= 0) {
                    closed = true;
                }
            } else {
                depth++;
            }
            return;
        }
        if (depth > 1) { // a table inside a cell: its structure is text of the outer cell
            separate();
            return;
        }
        switch (name) {
            case "tr" -> {
                closeRow();
                if (!closing) {
                    row = new ArrayList<>();
                }
            }
            case "td", "th" -> {
                closeCell();
                if (!closing) {
                    if (row == null) {
                        row = new ArrayList<>();
                    }
                    cell = new StringBuilder();
                    headerCell = name.equals("th") || inHead;
                    rowSpan = span(attributes, "rowspan");
                    colSpan = span(attributes, "colspan");
                }
            }
            case "thead" -> inHead = !closing;
            case "caption" -> inCaption = !closing;
            case "br", "p", "div", "li" -> separate();
            default -> {
                // tbody, tfoot, colgroup, b, i, span, sup …: structure we do not keep; their text stays
            }
        }
    }

    private void text(String text) {
        if (text.isEmpty()) {
            return;
        }
        if (depth <= 0) { // outside the table (the slice starts with its tag, so only if the model closed it early)
            stray.append(text);
        } else if (cell != null) {
            cell.append(text);
        } else if (inCaption) {
            caption.append(HtmlText.decode(text));
        } else {
            stray.append(text);
        }
    }

    private void separate() {
        if (cell != null) {
            cell.append(' ');
        }
    }

    private void closeCell() {
        if (cell == null) {
            return;
        }
        String text = WHITESPACE
                .matcher(HtmlText.decode(cell.toString()))
                .replaceAll(" ")
                .strip();
        row.add(new Cell(text, rowSpan, colSpan, headerCell));
        cell = null;
    }

    private void closeRow() {
        closeCell();
        if (row != null && !row.isEmpty()) {
            rows.add(row);
        }
        row = null;
    }

    private static int span(String attributes, String name) {
        Matcher m = SPAN.matcher(attributes);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return Math.max(1, Math.min(MAX_SPAN, Integer.parseInt(m.group(2))));
            }
        }
        return 1;
    }

    /**
     * Places the cells on a grid as HTML does (a row-spanning cell takes its column in the rows below) to learn each
     * row's width; rows narrower than the widest are padded at their end, and the table is flagged broken.
     */
    private Table place() {
        int[] covered = new int[0]; // per column: rows still taken by a rowspan from above
        int[] widths = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            int col = 0;
            for (Cell c : rows.get(r)) {
                while (col < covered.length && covered[col] > 0) {
                    col++;
                }
                int endCol = col + c.colSpan();
                if (endCol > covered.length) {
                    covered = Arrays.copyOf(covered, endCol);
                }
                for (int k = col; k < endCol; k++) {
                    covered[k] = Math.max(covered[k], c.rowSpan());
                }
                col = endCol;
            }
            int width = 0;
            for (int k = 0; k < covered.length; k++) {
                if (covered[k] > 0) {
                    width = k + 1;
                }
                covered[k] = Math.max(0, covered[k] - 1);
            }
            widths[r] = width;
        }
        int columns = 0;
        for (int w : widths) {
            columns = Math.max(columns, w);
        }
        long padding = 0;
        for (int w : widths) {
            padding += columns - w;
        }
        List<List<Cell>> padded = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<Cell> out = new ArrayList<>(rows.get(r));
            if (widths[r] < columns) {
                flags.add(Flag.BROKEN_TABLE);
                for (int k = widths[r]; k < columns && padding <= MAX_PADDING; k++) {
                    out.add(Cell.plain(""));
                }
            }
            padded.add(out);
        }
        return new Table(padded, columns);
    }
}
