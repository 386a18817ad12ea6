package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageFurnitureTest {
    @Test
    void pageNumberPatterns() {
        for (String s : List.of(
                "12", "- 12 -", "— 7 —", "Page 3", "page 3 of 10", "p. 4", "Seite 2 von 9", "iv", "XII", "3/12")) {
            assertTrue(PageFurniture.isPageNumber(s), s);
        }
        for (String s : List.of(
                "12 apples", "Page three", "Chapter 4", "2024-05-01", "12345", "Total: 12", "civil", "Mild", "iiii")) {
            assertFalse(PageFurniture.isPageNumber(s), s);
        }
    }

    @Test
    void boxesInTheTopOrBottomFivePercentAreHeaderAndFooter() {
        List<Draft> marked = PageFurniture.mark(List.of(
                boxed(BlockType.PARAGRAPH, "Journal of Things", 0, 10, 500, 50),
                boxed(BlockType.PARAGRAPH, "Body", 0, 60, 1000, 900),
                boxed(BlockType.TABLE, "a table low on the page", 0, 955, 1000, 999),
                boxed(BlockType.PARAGRAPH, "Confidential", 0, 950, 1000, 990)));
        assertEquals(
                List.of(BlockType.PAGE_HEADER, BlockType.PARAGRAPH, BlockType.TABLE, BlockType.PAGE_FOOTER),
                marked.stream().map(Draft::type).toList());
    }

    @Test
    void withoutBoxesAPageNumberFirstOrLastIsHeaderOrFooter() {
        List<Draft> marked = PageFurniture.mark(List.of(text("3"), text("Body text."), text("Page 3 of 9")));
        assertEquals(
                List.of(BlockType.PAGE_HEADER, BlockType.PARAGRAPH, BlockType.PAGE_FOOTER),
                marked.stream().map(Draft::type).toList());
        // a number in the middle, or a lone block, is not furniture of the first kind
        assertEquals(
                BlockType.PARAGRAPH,
                PageFurniture.mark(List.of(text("a"), text("3"), text("b")))
                        .get(1)
                        .type());
        assertEquals(
                BlockType.PAGE_FOOTER,
                PageFurniture.mark(List.of(text("3"))).getFirst().type());
    }

    private static Draft text(String s) {
        return Draft.of(BlockType.PARAGRAPH, 0, s, s, 0, 0);
    }

    private static Draft boxed(BlockType type, String s, double x1, double y1, double x2, double y2) {
        return Draft.of(type, 0, s, s, 0, 0).withBoxes(List.of(new Box(x1, y1, x2, y2)));
    }
}
