package io.pagestream.structure;

/**
 * Finds the loop a generation ends in when the engine's repetition guard (or the token limit) stopped it: the same
 * line or lines over and over, or, within one line, the same run of characters. All but the first copy are cut,
 * the last copy possibly being partial (the guard stops mid-copy).
 *
 * <p>Thresholds, chosen to leave legitimate repeats alone (a table's empty rows, a dotted leader): at least
 * {@value #MIN_COPIES} copies, covering at least {@value #MIN_SPAN} characters, of a unit holding a letter or
 * digit; a unit is 1 to {@value #MAX_LINES} lines, or 1 to {@value #MAX_CHARS} characters within the last line.
 * The engine's guard (6 copies of up to 128 tokens over at least 96 tokens) always satisfies them.
 */
final class Repetition {
    static final int MIN_COPIES = 5;
    static final int MIN_SPAN = 64;
    static final int MAX_LINES = 16;
    static final int MAX_CHARS = 512;
    /** How far back in the last line a character loop is looked for. */
    private static final int LINE_WINDOW = 16_384;

    /** @param text the output up to the end of the loop's first copy, or all of it when there was no loop */
    record Cut(String text, boolean cut) {}

    private Repetition() {}

    static Cut cut(String text) {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        String body = text.substring(0, end);
        int keep = lineLoop(body);
        if (keep < 0) {
            keep = charLoop(body);
        }
        return keep < 0 ? new Cut(text, false) : new Cut(body.substring(0, keep), true);
    }

    /** Where to cut a tail of repeated line blocks, or −1. */
    private static int lineLoop(String body) {
        String[] lines = body.split("\n", -1);
        int n = lines.length;
        int[] starts = new int[n + 1];
        for (int i = 0, at = 0; i < n; i++) {
            starts[i] = at;
            at += lines[i].length() + 1;
        }
        starts[n] = body.length() + 1;
        for (int p = 1; p <= MAX_LINES && p * MIN_COPIES <= n; p++) {
            int i = n - 1;
            // the last line may be the start of a copy the guard stopped
            if (!lines[i - p].startsWith(lines[i])) {
                continue;
            }
            i--;
            while (i - p >= 0 && lines[i].equals(lines[i - p])) {
                i--;
            }
            int firstRepeat = i + 1; // lines[firstRepeat..] repeat the p lines before them
            int copies = (n - firstRepeat) / p + 1;
            int span = body.length() - starts[firstRepeat - p];
            if (copies >= MIN_COPIES
                    && span >= MIN_SPAN
                    && hasLetterOrDigit(body, starts[firstRepeat - p], starts[firstRepeat] - 1)) {
                return Math.max(0, starts[firstRepeat] - 1); // up to the end of the first copy, without its newline
            }
        }
        return -1;
    }

    /** Where to cut a tail of one repeated run of characters on the last line, or −1. */
    private static int charLoop(String body) {
        int n = body.length();
        int lineStart = Math.max(body.lastIndexOf('\n') + 1, n - LINE_WINDOW);
        int len = n - lineStart;
        for (int p = 1; p <= MAX_CHARS && p * MIN_COPIES <= len; p++) {
            int j = n - 1;
            while (j - p >= lineStart && body.charAt(j) == body.charAt(j - p)) {
                j--;
            }
            int firstRepeat = j + 1; // body[firstRepeat..] repeats the p characters before it
            int run = n - firstRepeat;
            if (run >= p * (MIN_COPIES - 1)
                    && run + p >= MIN_SPAN
                    && hasLetterOrDigit(body, firstRepeat - p, firstRepeat)) {
                return firstRepeat;
            }
        }
        return -1;
    }

    private static boolean hasLetterOrDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
