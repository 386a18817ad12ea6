package io.pagestream.cli;

import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;

/** The readable form of a DocumentOcr and a DocumentAnswers record, as {@code demo} prints them. */
final class DemoText {
    static final int WIDTH = 100;
    private DemoText() {
    }

    /** {@code note} (may be empty) goes into the heading: the random model's reminder that its text means nothing. */
    static String ocr(String name, String documentId, GenericRecord ocr, String note) {
        StringBuilder b = new StringBuilder();
        int pages = (Integer) ocr.get("pageCount");
        b.append(heading("OCR of " + name + chunk(ocr), "document " + documentId + ", " + pages
                + (pages == 1 ? " page" : " pages") + (note.isEmpty() ? "" : ", " + note)));
        for (Object item : (List<?>) ocr.get("pages")) {
            GenericRecord page = (GenericRecord) item;
            Object failure = page.get("failure");
            b.append(String.format(Locale.ROOT, "  page %d  (%dx%d px, confidence %.2f)%n",
                    (Integer) page.get("pageIndex") + 1, page.get("width"), page.get("height"), page.get("confidence")));
            b.append(failure != null ? "    FAILED: " + failure + "\n" : indent(String.valueOf(page.get("text"))));
        }
        return b.toString();
    }

    static String answers(String name, GenericRecord answers, String note) {
        StringBuilder b = new StringBuilder(heading("Answers for " + name + chunk(answers), note));
        for (Object item : (List<?>) answers.get("questions")) {
            GenericRecord question = (GenericRecord) item;
            b.append("  Q: ").append(question.get("question")).append('\n');
            GenericRecord best = (GenericRecord) question.get("best");
            if (best == null) {
                b.append("  A: (no answer)\n");
            } else {
                b.append("  A: ").append(printable(String.valueOf(best.get("text"))).strip())
                        .append(String.format(Locale.ROOT, "   (page %d, confidence %.2f)%n",
                                (Integer) best.get("pageIndex") + 1, best.get("confidence")));
            }
        }
        return b.toString();
    }

    private static String heading(String title, String detail) {
        String line = "== " + title + (detail.isEmpty() ? "" : "  (" + detail + ")") + " ";
        return line + "=".repeat(Math.max(3, WIDTH - line.length())) + "\n";
    }

    private static String chunk(GenericRecord record) {
        int count = (Integer) record.get("chunkCount");
        return count == 1 ? "" : ", part " + ((Integer) record.get("chunkIndex") + 1) + " of " + count;
    }

    /** Indented by 4 and wrapped at spaces to lines of at most {@link #WIDTH}, or longer for a longer word. */
    static String indent(String text) {
        StringBuilder b = new StringBuilder();
        for (String paragraph : printable(text).strip().split("\n", -1)) {
            StringBuilder line = new StringBuilder("    ");
            for (String word : paragraph.split(" ", -1)) {
                if (line.length() > 4 && line.length() + 1 + word.length() > WIDTH) {
                    b.append(line).append('\n');
                    line.setLength(4);
                } else if (line.length() > 4) {
                    line.append(' ');
                }
                line.append(word);
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** Control characters (a random model emits any token) would garble the terminal: shown as U+FFFD instead. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(c == '\n' || !Character.isISOControl(c) ? c : 0xFFFD));
        return b.toString();
    }
}
