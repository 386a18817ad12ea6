package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageOutputParserTest {
    private static final PageGeometry PAGE = new PageGeometry(1000, 1414, 595.28, 841.89, 1000 / 595.28);

    @Test
    void markdownIsNormalised() {
        String raw = "# Title  \r\n\r\n\r\n\r\nFirst line   \nsecond line\t\n\n\n\n|a|b|\n|-|-|\n|1|2|\n\n***\n\nEnd";
        ParsedPage page = PageOutputParser.parse(raw, PAGE, Mode.MARKDOWN);
        assertEquals(
                "# Title\n\nFirst line\nsecond line\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nEnd", page.markdown());
    }

    @Test
    void aWholeAnswerInAMarkdownFenceIsUnwrappedButOtherFencesStay() {
        assertEquals(
                "# A\n\ntext",
                PageOutputParser.parse("```markdown\n# A\n\ntext\n```\n", PAGE, Mode.MARKDOWN)
                        .markdown());
        ParsedPage code = PageOutputParser.parse("```python\nprint(1)\n```", PAGE, Mode.MARKDOWN);
        assertEquals("```python\nprint(1)\n```", code.markdown());
        assertEquals("print(1)", code.blocks().getFirst().text());
    }

    @Test
    void headingsTitleAndSetext() {
        ParsedPage page =
                PageOutputParser.parse("Intro\n\n## Part\n\n# Main\n\n# Second\n\nSub\n---", PAGE, Mode.MARKDOWN);
        assertEquals(
                List.of(BlockType.PARAGRAPH, BlockType.HEADING, BlockType.TITLE, BlockType.HEADING, BlockType.HEADING),
                types(page));
        assertEquals(
                List.of(0, 2, 1, 1, 2), page.blocks().stream().map(Block::level).toList());
        assertEquals("Sub", page.blocks().getLast().text());
    }

    @Test
    void anInlineGroundedPhraseGroundsItsParagraph() {
        ParsedPage page = PageOutputParser.parse(
                "Total due: <ref>42.00 EUR</ref><box>[[600, 800, 700, 820]]</box>.\n\nThanks.", PAGE, Mode.MARKDOWN);
        assertEquals("Total due: 42.00 EUR.\n\nThanks.", page.markdown());
        assertEquals(
                new Box(600, 800, 700, 820),
                page.blocks().get(0).boxes().getFirst().grid());
        assertEquals(List.of(), page.blocks().get(1).boxes());
    }

    @Test
    void textModeInterpretsNothing() {
        String raw = "# not a heading\n| a | b |\n<ref>x</ref><box>[[1,2,3,4]]</box>\n\n\n\n- 3 -";
        ParsedPage page = PageOutputParser.parse(raw, PAGE, Mode.TEXT, 0.7);
        assertEquals(List.of(BlockType.PARAGRAPH, BlockType.PARAGRAPH), types(page));
        assertEquals("# not a heading\n| a | b |\n<ref>x</ref><box>[[1,2,3,4]]</box>\n\n- 3 -", page.markdown());
        assertEquals(Set.of(), page.flags());
        assertTrue(page.tables().isEmpty());
    }

    @Test
    void layoutRegionsAreOrderedAndTypedByTheirLabels() {
        String raw = "<ref>Second paragraph</ref><box>[[100, 500, 900, 600]]</box>\n"
                + "<ref>title</ref><box>[[100, 100, 900, 150]]</box>\nThe Title\n"
                + "<ref>table</ref><box>[[100, 700, 900, 800]]</box>\n<table><tr><td>1</td><td>2</td></tr></table>\n"
                + "<ref>First paragraph</ref><box>[[100, 200, 900, 300]]</box>";
        ParsedPage page = PageOutputParser.parse(raw, PAGE, Mode.LAYOUT);
        assertEquals(
                List.of("The Title", "First paragraph", "Second paragraph", "1\t2"),
                page.blocks().stream().map(Block::text).toList());
        assertEquals(List.of(BlockType.TITLE, BlockType.PARAGRAPH, BlockType.PARAGRAPH, BlockType.TABLE), types(page));
        assertEquals(0, page.blocks().getLast().tableIndex());
        assertEquals("# The Title\n\nFirst paragraph\n\nSecond paragraph\n\n| 1 | 2 |\n| --- | --- |", page.markdown());
    }

    @Test
    void confidenceIsThePagesAndHalvedWhereFlagged() {
        ParsedPage page = PageOutputParser.parse("Fine.\n\n<ref>cut", PAGE, Mode.MARKDOWN, 0.8);
        assertEquals(
                List.of(0.8, 0.4), page.blocks().stream().map(Block::confidence).toList());
        assertEquals(
                Set.of(Flag.MALFORMED_MARKUP, Flag.TRUNCATED),
                page.blocks().get(1).flags());
        assertEquals(
                1.0,
                PageOutputParser.parse("x", PAGE, Mode.MARKDOWN, 7)
                        .blocks()
                        .getFirst()
                        .confidence());
        assertEquals(
                0.0,
                PageOutputParser.parse("x", PAGE, Mode.MARKDOWN, Double.NaN)
                        .blocks()
                        .getFirst()
                        .confidence());
    }

    @Test
    void unclosedFormulaAndFenceDegradeToFlaggedText() {
        ParsedPage formula = PageOutputParser.parse("$$\n\\frac{a}{b}\n\nNext paragraph.", PAGE, Mode.MARKDOWN);
        assertEquals(List.of(BlockType.PARAGRAPH, BlockType.PARAGRAPH), types(formula));
        assertEquals(Set.of(Flag.MALFORMED_MARKUP), formula.blocks().getFirst().flags());
        assertEquals(Set.of(), formula.blocks().get(1).flags());

        ParsedPage fence = PageOutputParser.parse("Text\n\n```\ncode", PAGE, Mode.MARKDOWN);
        assertEquals(Set.of(Flag.MALFORMED_MARKUP, Flag.TRUNCATED), fence.flags());
        assertEquals("Text\n\n```\ncode\n```", fence.markdown());
    }

    @Test
    void listItemsJoinWithSingleNewlinesAndNestUnderTheirParentsText() {
        ParsedPage page = PageOutputParser.parse("1. one\n   - sub\n2. two\n\nafter", PAGE, Mode.MARKDOWN);
        assertEquals("1. one\n   - sub\n2. two\n\nafter", page.markdown());
        assertEquals(
                List.of(0, 1, 0, 0), page.blocks().stream().map(Block::level).toList());
    }

    @Test
    void geometryAndModeAreRequired() {
        assertThrows(NullPointerException.class, () -> PageOutputParser.parse("x", null, Mode.TEXT));
        assertThrows(NullPointerException.class, () -> PageOutputParser.parse("x", PAGE, null));
    }

    @Test
    void recordsAreImmutable() {
        ParsedPage page = PageOutputParser.parse("| a |\n| b |\n\n<ref>x", PAGE, Mode.MARKDOWN);
        assertThrows(UnsupportedOperationException.class, () -> page.blocks().clear());
        assertThrows(UnsupportedOperationException.class, () -> page.flags().clear());
        assertThrows(
                UnsupportedOperationException.class,
                () -> page.tables().getFirst().rows().getFirst().clear());
        assertThrows(
                UnsupportedOperationException.class,
                () -> page.blocks().getLast().flags().clear());
    }

    private static List<BlockType> types(ParsedPage page) {
        return page.blocks().stream().map(Block::type).toList();
    }
}
