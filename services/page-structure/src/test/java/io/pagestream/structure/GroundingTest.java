package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroundingTest {
    private static final Box B1 = new Box(1, 2, 3, 4);
    private static final Box B2 = new Box(5, 6, 7, 8);

    @Test
    void aRefAndItsBoxesBecomeAnAnchorOverTheText() {
        Grounding.Result r = Grounding.strip("Pay <ref>42 EUR</ref><box>[[1,2,3,4],[5,6,7,8]]</box> now", false);
        assertEquals("Pay 42 EUR now", r.text());
        assertEquals(List.of(new Anchor(4, 10, List.of(B1, B2), null, Set.of())), r.anchors());
        assertEquals(List.of(), r.issues());
    }

    @Test
    void aRefWithoutBoxIsStillAStretchAndABoxWithoutRefGroundsItsLine() {
        Grounding.Result r = Grounding.strip("<ref>a</ref> b\nline two<box>[[1,2,3,4]]</box>", false);
        assertEquals("a b\nline two", r.text());
        assertEquals(
                List.of(new Anchor(0, 1, List.of(), null, Set.of()), new Anchor(4, 12, List.of(B1), null, Set.of())),
                r.anchors());
    }

    @Test
    void unclosedAndStrayTagsAreIssuesNotErrors() {
        Grounding.Result open = Grounding.strip("x <ref>cut off", false);
        assertEquals("x cut off", open.text());
        assertEquals(
                Set.of(Flag.MALFORMED_MARKUP, Flag.TRUNCATED),
                open.anchors().getFirst().flags());

        Grounding.Result stray = Grounding.strip("a</ref>b</box>c", false);
        assertEquals("abc", stray.text());
        assertEquals(List.of(new Issue(1, Flag.MALFORMED_MARKUP), new Issue(2, Flag.MALFORMED_MARKUP)), stray.issues());

        Grounding.Result twice = Grounding.strip("<ref>a<ref>b</ref><box>[[1,2,3,4]]</box>", false);
        assertEquals("ab", twice.text());
        assertEquals(Set.of(Flag.MALFORMED_MARKUP), twice.anchors().get(0).flags());
        assertEquals(
                new Anchor(1, 2, List.of(B1), null, Set.of()), twice.anchors().get(1));
    }

    @Test
    void boxContentThatIsNotCoordinatesStaysText() {
        Grounding.Result r = Grounding.strip("<ref>Total</ref><box>see page 2</box>", false);
        assertEquals("Totalsee page 2", r.text());
        assertTrue(r.anchors().getFirst().flags().contains(Flag.MALFORMED_MARKUP));

        Grounding.Result cut = Grounding.strip("<ref>Total</ref><box>[[10, 20, 3", false);
        assertEquals("Total", cut.text());
        assertEquals(
                Set.of(Flag.MALFORMED_MARKUP, Flag.TRUNCATED),
                cut.anchors().getFirst().flags());
    }

    @Test
    void outOfGridBoxesAreKeptAsWrittenAndFlagged() {
        Grounding.Result r = Grounding.strip("<ref>x</ref><box>[[-5, 0, 1200, 10]]</box>", false);
        assertEquals(List.of(new Box(-5, 0, 1200, 10)), r.anchors().getFirst().boxes());
        assertEquals(Set.of(Flag.BOX_OUT_OF_GRID), r.anchors().getFirst().flags());
    }

    @Test
    void inLayoutALabelNamesTheRegionThatFollowsItsBox() {
        String raw = "<ref>title</ref><box>[[1,2,3,4]]</box>Annual report\n<ref>Body text</ref><box>[[5,6,7,8]]</box>";
        Grounding.Result r = Grounding.strip(raw, true);
        assertEquals("Annual report\nBody text", r.text());
        assertEquals(
                List.of(
                        new Anchor(0, 14, List.of(B1), BlockType.TITLE, Set.of()),
                        new Anchor(14, 23, List.of(B2), null, Set.of())),
                r.anchors());
        // in markdown mode the same ref is text
        assertEquals(
                "title\nBody text",
                Grounding.strip("<ref>title</ref><box>[[1,2,3,4]]</box>\n<ref>Body text</ref>", false)
                        .text());
        assertNull(RegionLabel.of("Annual report"));
        assertEquals(BlockType.PAGE_FOOTER, RegionLabel.of(" Page_Footer "));
    }
}
