package io.pagestream.structure;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pipe tables: rows of {@code |}-separated cells, the rows above a {@code |---|} line being the header. Uneven rows
 * are padded with empty cells and flag the table broken; a last row that lost its closing pipe at the end of the
 * output is half a row (truncated). Lines that are all separators leave nothing to read and stay text.
 */
final class PipeTables {
    private static final Pattern SEPARATOR_CELL = Pattern.compile("\\s*:?-+:?\\s*");

    private PipeTables() {}

    /** Whether a line is a separator row: dashes and colons between pipes, at least one pipe. */
    static boolean isSeparator(String line) {
        String t = line.strip();
        if (t.indexOf('|') < 0 || t.indexOf('-') < 0) {
            return false;
        }
        for (String cell : split(t)) {
            if (!SEPARATOR_CELL.matcher(cell).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param lines the table's lines, each already known to be a table line
     * @param atEnd whether the last line is the end of the whole output
     */
    static Draft parse(List<String> lines, int start, int end, boolean atEnd) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        List<List<String>> rows = new ArrayList<>();
        List<String> alignments = List.of();
        int headerRows = 0;
        for (String line : lines) {
            if (isSeparator(line)) {
                if (alignments.isEmpty() && headerRows == 0) {
                    alignments = split(line.strip()).stream()
                            .map(PipeTables::alignment)
                            .toList();
                    headerRows = rows.size();
                } else {
                    flags.add(Flag.BROKEN_TABLE); // a second rule line: nothing to read in it
                }
                continue;
            }
            rows.add(split(line.strip()));
        }
        String raw = String.join("\n", lines.stream().map(String::strip).toList());
        if (rows.isEmpty()) {
            flags.add(Flag.BROKEN_TABLE);
            return Draft.of(BlockType.PARAGRAPH, 0, raw, raw, start, end).plus(flags);
        }
        String first = lines.getFirst().strip();
        String last = lines.getLast().strip();
        if (atEnd && closed(first) && !closed(last) && !isSeparator(last)) {
            flags.add(Flag.TRUNCATED);
            flags.add(Flag.BROKEN_TABLE);
        }
        int columns = Math.max(
                alignments.size(), rows.stream().mapToInt(List::size).max().orElse(0));
        List<List<Cell>> cells = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() != columns) {
                flags.add(Flag.BROKEN_TABLE);
            }
            List<Cell> out = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                String text = c < row.size() ? row.get(c) : "";
                out.add(new Cell(text, 1, 1, r < headerRows));
            }
            cells.add(out);
        }
        Table table = new Table(cells, columns);
        return Draft.of(
                        BlockType.TABLE,
                        0,
                        TableMarkdown.text(table),
                        TableMarkdown.pipe(table, alignments),
                        start,
                        end)
                .withTable(table)
                .plus(flags);
    }

    /** A separator cell normalised: {@code ---} with the colons that set its alignment. */
    private static String alignment(String cell) {
        String c = cell.strip();
        return (c.startsWith(":") ? ":" : "") + "---" + (c.length() > 1 && c.endsWith(":") ? ":" : "");
    }

    /** Whether a row ends with its closing pipe (not an escaped one). */
    private static boolean closed(String line) {
        return line.endsWith("|") && !line.endsWith("\\|");
    }

    /** The cells of a stripped row: outer pipes dropped, split at unescaped pipes, trimmed, {@code \|} unescaped. */
    static List<String> split(String line) {
        int from = line.startsWith("|") ? 1 : 0;
        int to = closed(line) && line.length() > from ? line.length() - 1 : line.length();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < to && line.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }
}
