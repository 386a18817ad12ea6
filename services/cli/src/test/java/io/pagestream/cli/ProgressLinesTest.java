package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress as a history of lines for logs, and as one line rewritten in place on a terminal. */
class ProgressLinesTest {

    @Test
    void withoutATerminalEachChangeIsALine() {
        StringWriter err = new StringWriter();
        ProgressLines progress = new ProgressLines(new PrintWriter(err), false);
        assertTrue(progress.update("a", "a: 1/3 pages", false));
        assertFalse(progress.update("a", "a: 1/3 pages", false), "unchanged");
        assertTrue(progress.update("b", "b: 0/1 pages", false));
        assertTrue(progress.update("a", "a: COMPLETED, 3/3 pages", true));
        progress.finish();
        assertEquals(
                "a: 1/3 pages\nb: 0/1 pages\na: COMPLETED, 3/3 pages\n",
                err.toString().replace("\r\n", "\n"));
    }

    @Test
    void onATerminalOpenDocumentsShareOneLineAndEndedOnesGetTheirOwn() {
        StringWriter err = new StringWriter();
        ProgressLines progress = new ProgressLines(new PrintWriter(err), true);
        progress.update("a", "a: 1/3 pages", false);
        progress.update("b", "b: 0/1 pages", false);
        progress.update("a", "a: 2/3 pages", false);
        progress.update("a", "a: COMPLETED, 3/3 pages", true);
        progress.update("b", "b: COMPLETED, 1/1 pages", true);
        progress.finish();
        String out = err.toString().replace(System.lineSeparator(), "\n");
        assertEquals(screen(out), "a: COMPLETED, 3/3 pages\nb: COMPLETED, 1/1 pages\n", "what the terminal shows");
        assertTrue(out.contains("\ra: 2/3 pages   b: 0/1 pages"), "rewritten in place: " + out);
        assertFalse(out.contains("a: 1/3 pages\n"), "an open document never ends a line: " + out);
    }

    /** What a terminal shows after the output: carriage returns move to the line's start and overwrite. */
    private static String screen(String output) {
        StringBuilder shown = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int column = 0;
        for (char c : output.toCharArray()) {
            if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                shown.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                column = 0;
            } else {
                if (column < line.length()) {
                    line.setCharAt(column, c);
                } else {
                    line.append(c);
                }
                column++;
            }
        }
        return shown.append(line.toString().stripTrailing()).toString();
    }
}
