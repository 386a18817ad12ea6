package io.pagestream.structure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Running headers and footers, two ways, applied only to text blocks (paragraphs, headings, the title):
 * <ul>
 *   <li>by box: a block whose boxes lie wholly in the top {@value #BAND}% of the page is a page header, wholly in
 *       the bottom {@value #BAND}% a page footer;</li>
 *   <li>by text, for output without boxes: the last block, if it is a paragraph of one short line
 *       (at most {@value #SHORT} characters) that reads as a page number ("12", "- 12 -", "Page 3 of 10",
 *       "p. 4", "iv"), is a page footer; the first block under the same test, a page header.</li>
 * </ul>
 */
final class PageFurniture {
    static final int BAND = 5;
    static final int SHORT = 40;
    private static final Set<BlockType> TEXT = Set.of(BlockType.PARAGRAPH, BlockType.HEADING, BlockType.TITLE);
    /** A well-formed roman numeral (so "civil" or "mild" are words, not page numbers). */
    private static final String ROMAN = "(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})";

    private static final Pattern PAGE_NUMBER =
            Pattern.compile("(?i)(?:(?:page|pg\\.?|p\\.|seite|pagina|página)\\s*)?(?:\\d{1,4}|" + ROMAN + ")"
                    + "(?:\\s*(?:/|of|von|de|sur)\\s*\\d{1,4})?|[-–—]\\s*\\d{1,4}\\s*[-–—]");

    private PageFurniture() {}

    static List<Draft> mark(List<Draft> drafts) {
        List<Draft> out = new ArrayList<>(drafts);
        double top = PageGeometry.GRID * BAND / 100;
        double bottom = PageGeometry.GRID - top;
        for (int i = 0; i < out.size(); i++) {
            Draft d = out.get(i);
            Box box = d.extent();
            if (box == null || !TEXT.contains(d.type())) {
                continue;
            }
            if (box.y2() <= top) {
                out.set(i, d.withType(BlockType.PAGE_HEADER, 0));
            } else if (box.y1() >= bottom) {
                out.set(i, d.withType(BlockType.PAGE_FOOTER, 0));
            }
        }
        if (!out.isEmpty() && pageNumber(out.getLast())) {
            out.set(out.size() - 1, out.getLast().withType(BlockType.PAGE_FOOTER, 0));
        }
        if (out.size() > 1 && pageNumber(out.getFirst())) {
            out.set(0, out.getFirst().withType(BlockType.PAGE_HEADER, 0));
        }
        return out;
    }

    private static boolean pageNumber(Draft d) {
        String t = d.text().strip();
        return d.type() == BlockType.PARAGRAPH
                && d.extent() == null
                && t.length() <= SHORT
                && t.indexOf('\n') < 0
                && isPageNumber(t);
    }

    /** Whether a stripped line reads as a page number; "- 3 -" must not be taken for a list item. */
    static boolean isPageNumber(String line) {
        return line.length() <= SHORT && PAGE_NUMBER.matcher(line).matches();
    }
}
