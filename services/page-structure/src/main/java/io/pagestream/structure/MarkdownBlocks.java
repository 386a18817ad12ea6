package io.pagestream.structure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown as the model writes it, into drafts: ATX and setext headings, list items (nesting from indentation),
 * pipe tables, HTML tables (recognised anywhere in the text, even mid-line or inside a code fence), {@code $$…$$}
 * and {@code \[…\]} formulas, fenced code (kept verbatim as a paragraph), figure captions, and paragraphs (lines up
 * to a blank line or the start of another block). Thematic breaks are dropped. Inline markup (emphasis, inline
 * {@code $…$}, links) stays in the text.
 */
final class MarkdownBlocks {
    private static final Pattern LIST = Pattern.compile("^([ \\t]*)([-*+]|\\d{1,3}[.)])[ \\t]+(\\S.*)$");
    /** An opening fence; as in CommonMark, a backtick fence's info string has no backtick. */
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(?:(`{3,})([^`]*)|(~{3,})(.*))$");

    private static final Pattern RULE = Pattern.compile("^ {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*$");
    private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
    private static final Pattern CAPTION =
            Pattern.compile("(?i)^(?:figure|fig\\.|chart|image|plate)\\s*\\d+[a-z]?\\s*[.:\\-–—]");
    /** A table tag, open or close, possibly cut short; the name ends as {@link HtmlTables}'s tag names do. */
    static final Pattern TABLE_TAG = Pattern.compile("(?i)<(/?)table(?![a-zA-Z0-9])[^<>\\n]*>?");

    private static final int MAX_LIST_LEVEL = 10;

    private final String text;
    private final boolean endOfOutput;
    private final List<Issue> issues;
    private final List<Draft> drafts = new ArrayList<>();
    // the lines of the stretch being read: [lineStart[i], lineEnd[i]) in text
    private int[] lineStart = new int[0];
    private int[] lineEnd = new int[0];
    private String[] lineText = new String[0];
    private int count;
    private boolean linesAtEnd;
    // the open list items above the next one: their source indentation and the column their text starts at in
    // the normalised markdown (where a nested item's marker must go)
    private final List<int[]> openItems = new ArrayList<>();

    private MarkdownBlocks(String text, boolean endOfOutput, List<Issue> issues) {
        this.text = text;
        this.endOfOutput = endOfOutput;
        this.issues = issues;
    }

    /**
     * @param text        the whole tag-free text; the drafts' offsets are into it
     * @param endOfOutput whether nothing but whitespace follows {@code to} (so what is open there was cut off)
     * @param issues      receives irregularities that belong to no block (a {@code </table>} nothing opened)
     */
    static List<Draft> parse(String text, int from, int to, boolean endOfOutput, List<Issue> issues) {
        MarkdownBlocks parser = new MarkdownBlocks(text, endOfOutput, issues);
        parser.split(from, to);
        return parser.drafts;
    }

    /** HTML tables first (lines mean nothing to them), the text between them line by line. */
    private void split(int from, int to) {
        Matcher m = TABLE_TAG.matcher(text).region(from, to);
        int at = from;
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                issues.add(new Issue(m.start(), Flag.MALFORMED_MARKUP)); // a </table> nothing opened
                continue;
            }
            int start = m.start();
            lines(at, start, false);
            int depth = 1;
            int end = to;
            while (m.find()) {
                depth += m.group(1).isEmpty() ? 1 : -1;
                if (depth == 0) {
                    end = m.end();
                    break;
                }
            }
            drafts.addAll(HtmlTables.parse(text.substring(start, end), start, end, endOfOutput && blank(end, to)));
            at = end;
        }
        lines(at, to, endOfOutput);
    }

    private void lines(int from, int to, boolean atEnd) {
        if (blank(from, to)) {
            return;
        }
        count = 0;
        int s = from;
        while (s <= to) {
            int nl = text.indexOf('\n', s);
            int e = nl < 0 || nl > to ? to : nl;
            add(s, e);
            s = e + 1;
        }
        linesAtEnd = atEnd;
        int i = 0;
        while (i < count) {
            int before = drafts.size();
            i = block(i);
            if (drafts.size() > before && drafts.getLast().type() != BlockType.LIST_ITEM) {
                openItems.clear(); // a list ends at any other block
            }
        }
        openItems.clear();
    }

    private void add(int start, int end) {
        if (count == lineStart.length) {
            lineStart = Arrays.copyOf(lineStart, Math.max(16, count * 2));
            lineEnd = Arrays.copyOf(lineEnd, Math.max(16, count * 2));
            lineText = Arrays.copyOf(lineText, Math.max(16, count * 2));
        }
        lineStart[count] = start;
        lineEnd[count] = end;
        lineText[count] = text.substring(start, end);
        count++;
    }

    private String line(int i) {
        return lineText[i];
    }

    /**
     * Most lines of a page are prose: one that starts with a letter and has no pipe starts no block, and is known
     * without a regex (a speed-up only; the full tests below give the same answer for it).
     */
    private static boolean plainProse(String line) {
        int k = 0;
        while (k < line.length() && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
            k++;
        }
        return k < line.length() && Character.isLetter(line.charAt(k)) && line.indexOf('|') < 0;
    }

    /** Reads the block starting at line i; returns the line after it. */
    private int block(int i) {
        String line = line(i);
        if (plainProse(line)) {
            return paragraph(i);
        }
        String t = line.strip();
        if (t.isEmpty()) {
            return i + 1;
        }
        Matcher fence = FENCE.matcher(line);
        if (fence.matches()) {
            return fence(i, fence.group(1) != null ? fence.group(1) : fence.group(3));
        }
        if (t.startsWith("$$")) {
            return formula(i, "$$", "$$");
        }
        if (t.startsWith("\\[")) {
            return formula(i, "\\[", "\\]");
        }
        int level = headingLevel(line);
        if (level > 0) {
            String title = headingText(line);
            drafts.add(Draft.of(
                    BlockType.HEADING,
                    level,
                    title,
                    "#".repeat(level) + (title.isEmpty() ? "" : " " + title),
                    lineStart[i],
                    lineEnd[i]));
            return i + 1;
        }
        if (tableStarts(i)) {
            return pipeTable(i);
        }
        Matcher item = LIST.matcher(line);
        if (item.matches() && !PageFurniture.isPageNumber(t)) {
            return listItem(i, item);
        }
        if (RULE.matcher(line).matches()) {
            return i + 1;
        }
        return paragraph(i);
    }

    private boolean startsBlock(int i) {
        String line = line(i);
        if (plainProse(line)) {
            return false;
        }
        String t = line.strip();
        return t.isEmpty()
                || FENCE.matcher(line).matches()
                || t.startsWith("$$")
                || t.startsWith("\\[")
                || headingLevel(line) > 0
                || tableStarts(i)
                || LIST.matcher(line).matches() && !PageFurniture.isPageNumber(t)
                || RULE.matcher(line).matches();
    }

    /** A pipe table: a line starting with a pipe and another table line after it, or any row over a rule line. */
    private boolean tableStarts(int i) {
        String t = line(i).strip();
        if (i + 1 >= count || PipeTables.isSeparator(t) && !t.startsWith("|")) {
            return false;
        }
        String next = line(i + 1).strip();
        return t.startsWith("|") && next.startsWith("|") || t.indexOf('|') >= 0 && PipeTables.isSeparator(next);
    }

    private int pipeTable(int i) {
        boolean leadingPipes = line(i).strip().startsWith("|");
        int j = i;
        List<String> rows = new ArrayList<>();
        while (j < count) {
            String t = line(j).strip();
            if (t.isEmpty() || !(t.startsWith("|") || !leadingPipes && t.indexOf('|') >= 0)) {
                break;
            }
            rows.add(t);
            j++;
        }
        drafts.add(PipeTables.parse(rows, lineStart[i], lineEnd[j - 1], linesAtEnd && restBlank(j)));
        return j;
    }

    private int listItem(int i, Matcher item) {
        int indent = width(item.group(1));
        StringBuilder body = new StringBuilder(item.group(3).strip());
        int j = i + 1;
        while (j < count && !startsBlock(j) && width(leading(line(j))) > indent) {
            body.append(' ').append(line(j).strip());
            j++;
        }
        while (!openItems.isEmpty() && openItems.getLast()[0] >= indent) {
            openItems.removeLast();
        }
        String marker = item.group(2);
        int column = openItems.isEmpty() ? 0 : openItems.getLast()[1];
        int level = Math.min(MAX_LIST_LEVEL, openItems.size());
        if (openItems.size() < MAX_LIST_LEVEL) {
            openItems.add(new int[] {indent, column + marker.length() + 1});
        }
        drafts.add(Draft.of(
                BlockType.LIST_ITEM,
                level,
                body.toString(),
                " ".repeat(column) + marker + " " + body,
                lineStart[i],
                lineEnd[j - 1]));
        return j;
    }

    private int paragraph(int i) {
        List<String> lines = new ArrayList<>();
        lines.add(line(i).strip());
        int j = i + 1;
        while (j < count) {
            Matcher setext = SETEXT.matcher(line(j));
            if (setext.matches()) {
                String title = String.join(" ", lines);
                int level = setext.group(1).charAt(0) == '=' ? 1 : 2;
                drafts.add(Draft.of(
                        BlockType.HEADING, level, title, "#".repeat(level) + " " + title, lineStart[i], lineEnd[j]));
                return j + 1;
            }
            if (startsBlock(j)) {
                break;
            }
            lines.add(line(j).strip());
            j++;
        }
        String body = String.join("\n", lines);
        BlockType type = CAPTION.matcher(body).lookingAt() ? BlockType.FIGURE_CAPTION : BlockType.PARAGRAPH;
        drafts.add(Draft.of(type, 0, body, body, lineStart[i], lineEnd[j - 1]));
        return j;
    }

    /** Fenced code: kept verbatim, as a paragraph (no block type for code); an unclosed fence runs to the end. */
    private int fence(int i, String marker) {
        int j = i + 1;
        while (j < count && !closesFence(line(j), marker)) {
            j++;
        }
        boolean closed = j < count;
        List<String> body = new ArrayList<>();
        for (int k = i + 1; k < Math.min(j, count); k++) {
            body.add(line(k).stripTrailing());
        }
        String content = String.join("\n", body);
        String markdown = line(i).strip() + "\n" + (content.isEmpty() ? "" : content + "\n") + marker;
        int last = closed ? j : count - 1;
        Draft draft = Draft.of(BlockType.PARAGRAPH, 0, content, markdown, lineStart[i], lineEnd[last]);
        drafts.add(closed ? draft : unclosed(draft));
        return last + 1;
    }

    /** A closing fence: only the fence character, at least as many as opened it. */
    private static boolean closesFence(String line, String marker) {
        String t = line.strip();
        return t.length() >= marker.length() && t.chars().allMatch(c -> c == marker.charAt(0));
    }

    /** A display formula; unclosed, its lines stay a paragraph. */
    private int formula(int i, String open, String close) {
        String first = line(i).strip().substring(open.length());
        if (first.stripTrailing().endsWith(close) && first.strip().length() >= close.length()) {
            String body = first.strip();
            return formulaDraft(i, i, body.substring(0, body.length() - close.length()));
        }
        List<String> body = new ArrayList<>();
        body.add(first);
        int j = i + 1;
        while (j < count) {
            String t = line(j).stripTrailing();
            if (t.endsWith(close)) {
                body.add(t.substring(0, t.length() - close.length()));
                return formulaDraft(i, j, String.join("\n", body));
            }
            if (t.isBlank()) {
                break; // a formula has no blank line: this one will not close
            }
            body.add(t);
            j++;
        }
        List<String> raw = new ArrayList<>();
        for (int k = i; k < j; k++) {
            raw.add(line(k).strip());
        }
        String content = String.join("\n", raw).strip();
        Draft draft = Draft.of(BlockType.PARAGRAPH, 0, content, content, lineStart[i], lineEnd[j - 1]);
        drafts.add(restBlank(j) ? unclosed(draft) : draft.plus(Flag.MALFORMED_MARKUP));
        return j;
    }

    private int formulaDraft(int i, int j, String body) {
        String latex = body.strip();
        drafts.add(Draft.of(BlockType.FORMULA, 0, latex, "$$\n" + latex + "\n$$", lineStart[i], lineEnd[j]));
        return j + 1;
    }

    /** Open at the end of its stretch: cut off when that is the end of the output, malformed otherwise. */
    private Draft unclosed(Draft draft) {
        Draft d = draft.plus(Flag.MALFORMED_MARKUP);
        return linesAtEnd ? d.plus(Flag.TRUNCATED) : d;
    }

    /** ATX heading level of a line ({@code #} to {@code ######} then a space or the end), or 0. */
    private static int headingLevel(String line) {
        int k = 0;
        while (k < 3 && k < line.length() && line.charAt(k) == ' ') {
            k++;
        }
        int hashes = 0;
        while (k + hashes < line.length() && line.charAt(k + hashes) == '#') {
            hashes++;
        }
        if (hashes == 0 || hashes > 6) {
            return 0;
        }
        int after = k + hashes;
        return after == line.length() || line.charAt(after) == ' ' || line.charAt(after) == '\t' ? hashes : 0;
    }

    /** A heading's text: after its hashes, without an optional closing run of hashes. */
    private static String headingText(String line) {
        String rest = line.strip();
        rest = rest.substring(headingLevel(line)).strip();
        int k = rest.length();
        while (k > 0 && rest.charAt(k - 1) == '#') {
            k--;
        }
        if (k == 0 || k < rest.length() && (rest.charAt(k - 1) == ' ' || rest.charAt(k - 1) == '\t')) {
            rest = rest.substring(0, k).strip();
        }
        return rest;
    }

    /** Whether lines j and after are all blank. */
    private boolean restBlank(int j) {
        for (int k = j; k < count; k++) {
            if (!line(k).isBlank()) {
                return false;
            }
        }
        return true;
    }

    private boolean blank(int from, int to) {
        for (int k = from; k < to; k++) {
            if (!Character.isWhitespace(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static String leading(String line) {
        int k = 0;
        while (k < line.length() && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
            k++;
        }
        return line.substring(0, k);
    }

    /** Indentation width, a tab counting four. */
    private static int width(String indent) {
        int w = 0;
        for (int k = 0; k < indent.length(); k++) {
            w += indent.charAt(k) == '\t' ? 4 : 1;
        }
        return w;
    }
}
