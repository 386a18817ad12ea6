package io.pagestream.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;

/** The readable form of a DocumentOcr and a DocumentAnswers record, as {@code demo} prints them. */
final class DemoText {
    private static final int WIDTH = 100;

    private DemoText() {}

    /**
     * The heading, the chunk's markdown as it is (wrapping would break tables), and a line per failed page.
     * {@code note} (may be empty) goes into the heading: the random model's reminder that its text means nothing.
     */
    static String ocr(String name, String documentId, GenericRecord ocr, String note) {
        StringBuilder b = new StringBuilder();
        int pages = (Integer) ocr.get("pageCount");
        b.append(heading(
                "OCR of " + name + chunk(ocr),
                "document " + documentId + ", " + pages + (pages == 1 ? " page" : " pages")
                        + (note.isEmpty() ? "" : ", " + note)));
        String markdown = printable(markdown(ocr)).strip();
        if (!markdown.isEmpty()) {
            b.append(markdown).append('\n');
        }
        for (Object item : (List<?>) ocr.get("pages")) {
            GenericRecord page = (GenericRecord) item;
            Object failure = page.get("failure");
            if (failure != null) {
                b.append("<!-- page ")
                        .append((Integer) page.get("pageIndex") + 1)
                        .append(" FAILED: ")
                        .append(failure)
                        .append(" -->\n");
            }
        }
        return b.toString();
    }

    /**
     * The chunk's markdown: the assembler's ({@code DocumentOcr.markdown}), or, where it left that empty (written
     * before the field existed), made the same way from the successful pages: each page's structure markdown, else its
     * text, after a line {@code <!-- page N -->}, pages separated by a blank line.
     */
    static String markdown(GenericRecord ocr) {
        String given = ocr.hasField("markdown") ? String.valueOf(ocr.get("markdown")) : "";
        if (!given.isEmpty()) {
            return given;
        }
        List<String> pages = new ArrayList<>();
        for (Object item : (List<?>) ocr.get("pages")) {
            GenericRecord page = (GenericRecord) item;
            if (page.get("failure") == null && page.get("text") != null) {
                pages.add("<!-- page " + ((Integer) page.get("pageIndex") + 1) + " -->\n" + pageMarkdown(page));
            }
        }
        return String.join("\n\n", pages);
    }

    private static String pageMarkdown(GenericRecord page) {
        Object structure = page.hasField("structure") ? page.get("structure") : null;
        return String.valueOf(structure instanceof GenericRecord s ? s.get("markdown") : page.get("text"))
                .strip();
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
                b.append("  A: ")
                        .append(printable(String.valueOf(best.get("text"))).strip())
                        .append(String.format(
                                Locale.ROOT,
                                "   (page %d, confidence %.2f)%n",
                                (Integer) best.get("pageIndex") + 1,
                                best.get("confidence")));
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

    /** Control characters (a random model emits any token) would garble the terminal: shown as U+FFFD instead. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(c == '\n' || !Character.isISOControl(c) ? c : 0xFFFD));
        return b.toString();
    }
}
