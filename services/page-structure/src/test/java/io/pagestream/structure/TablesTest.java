package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void pipeTableCellsHeaderAndEscapedPipes() {
        Draft d = PipeTables.parse(List.of("|a|b \\| c|", "|:--|--:|", "| 1 | 2 |"), 0, 10, false);
        assertEquals(BlockType.TABLE, d.type());
        assertEquals(
                new Table(
                        List.of(
                                List.of(new Cell("a", 1, 1, true), new Cell("b | c", 1, 1, true)),
                                List.of(Cell.plain("1"), Cell.plain("2"))),
                        2),
                d.table());
        assertEquals("| a | b \\| c |\n| :--- | ---: |\n| 1 | 2 |", d.markdown());
        assertEquals(Set.of(), d.flags());
    }

    @Test
    void unevenRowsArePaddedAndAHalfRowAtTheEndIsTruncation() {
        Draft d = PipeTables.parse(List.of("| a | b | c |", "|---|---|---|", "| 1 | 2 |", "| 3"), 0, 10, true);
        assertEquals(3, d.table().columns());
        assertEquals(
                List.of(Cell.plain("3"), Cell.plain(""), Cell.plain("")),
                d.table().rows().get(2));
        assertEquals(Set.of(Flag.BROKEN_TABLE, Flag.TRUNCATED), d.flags());
        // the same rows in the middle of the output: broken, not truncated
        assertEquals(
                Set.of(Flag.BROKEN_TABLE),
                PipeTables.parse(List.of("| a | b | c |", "| 3"), 0, 1, false).flags());
    }

    @Test
    void onlyRuleLinesStayText() {
        Draft d = PipeTables.parse(List.of("|---|---|", "|---|"), 0, 1, false);
        assertEquals(BlockType.PARAGRAPH, d.type());
        assertNull(d.table());
        assertEquals(Set.of(Flag.BROKEN_TABLE), d.flags());
    }

    @Test
    void htmlSpansArePlacedLikeABrowserWould() {
        String html = "<table><tr><td rowspan=2>A</td><td>B</td><td>C</td></tr><tr><td colspan='2'>D</td></tr>"
                + "<tr><td>E</td><td>F</td><td>G</td></tr></table>";
        List<Draft> drafts = HtmlTables.parse(html, 0, html.length(), true);
        Table t = drafts.getLast().table();
        assertEquals(3, t.columns());
        assertEquals(new Cell("A", 2, 1, false), t.rows().get(0).get(0));
        assertEquals(new Cell("D", 1, 2, false), t.rows().get(1).get(0));
        assertEquals(Set.of(), drafts.getLast().flags()); // every row is 3 wide once A's rowspan is placed
        assertTrue(drafts.getLast().markdown().startsWith("<table>\n<tr><td rowspan=\"2\">A</td>"));
    }

    @Test
    void htmlWithoutSpansBecomesAPipeTableAndEntitiesAreDecoded() {
        String html = "<table><thead><tr><th>Item</th><th>Price</th></tr></thead>"
                + "<tr><td>Pens &amp; ink</td><td>&lt;5&#8364;</td></tr></table>";
        Draft d = HtmlTables.parse(html, 0, html.length(), false).getLast();
        assertEquals("| Item | Price |\n| --- | --- |\n| Pens & ink | <5€ |", d.markdown());
        assertTrue(TableMarkdown.pipeable(d.table()));
    }

    @Test
    void unclosedHtmlTableIsBrokenAndTruncatedAtTheEnd() {
        String html = "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td col";
        Draft d = HtmlTables.parse(html, 0, html.length(), true).getLast();
        assertEquals(BlockType.TABLE, d.type());
        assertEquals(Set.of(Flag.BROKEN_TABLE, Flag.TRUNCATED), d.flags());
        assertEquals(List.of(Cell.plain("3"), Cell.plain("")), d.table().rows().get(1));
    }

    @Test
    void textOutsideCellsKeepsTheTableAsText() {
        String html = "<table>stray words<tr><td>1</td></tr></table>";
        Draft d = HtmlTables.parse(html, 0, html.length(), false).getLast();
        assertEquals(BlockType.PARAGRAPH, d.type());
        assertEquals(html, d.text());
        assertEquals(Set.of(Flag.BROKEN_TABLE), d.flags());
    }

    @Test
    void hugeSpansAreBounded() {
        String html = "<table><tr><td colspan=999999999>a</td></tr><tr><td>b</td></tr></table>";
        Draft d = HtmlTables.parse(html, 0, html.length(), false).getLast();
        assertEquals(HtmlTables.MAX_SPAN, d.table().columns());
        assertFalse(TableMarkdown.pipeable(d.table()));
    }
}
