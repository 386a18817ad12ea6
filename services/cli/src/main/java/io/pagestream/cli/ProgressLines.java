package io.pagestream.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-document progress on stderr. On a terminal, one line rewritten in place shows every document still open, and a
 * document that ends gets a line of its own above it; otherwise (a log, a pipe) a line is printed whenever a document's
 * text changes, so the output reads as a history.
 */
final class ProgressLines {
    private final PrintWriter err;
    private final boolean terminal;
    private final Map<String, String> open = new LinkedHashMap<>();
    private final Map<String, String> last = new LinkedHashMap<>();
    private int drawn;

    ProgressLines(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether stderr is most likely a terminal: the JVM's console is one (it is null or not a terminal otherwise). */
    static boolean onTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    /**
     * {@code text} is the document's line ({@code id: 3/10 pages}); {@code ended}: it will not change again. Returns
     * whether the text differs from the document's previous one.
     */
    boolean update(String id, String text, boolean ended) {
        boolean changed = !text.equals(last.put(id, text));
        if (!terminal) {
            if (changed) {
                err.println(text);
            }
        } else if (ended) {
            open.remove(id);
            clear();
            err.println(text);
            draw();
        } else if (changed) {
            open.put(id, text);
            draw();
        }
        err.flush();
        return changed;
    }

    /** Ends the line being rewritten, if any, so what follows starts on a fresh line. */
    void finish() {
        if (terminal && drawn > 0) {
            err.println();
            drawn = 0;
            err.flush();
        }
    }

    private void draw() {
        String line = String.join("   ", open.values());
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())) + "\r" + line);
        drawn = line.length();
    }

    private void clear() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
    }
}
