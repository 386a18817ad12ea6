package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoxTextTest {
    @Test
    void readsOneAndSeveralBoxes() {
        assertEquals(new BoxText.Parsed(List.of(new Box(1, 2, 3, 4)), false), BoxText.parse("[[1, 2, 3, 4]]"));
        assertEquals(
                new BoxText.Parsed(List.of(new Box(1, 2, 3, 4), new Box(5, 6, 7, 8)), false),
                BoxText.parse("[[1,2,3,4],[5,6,7,8]]"));
        assertEquals(
                new BoxText.Parsed(List.of(new Box(1, 2, 3, 4), new Box(5, 6, 7, 8)), false),
                BoxText.parse(" [[1, 2, 3, 4]], [[5, 6, 7, 8]] "));
        assertEquals(
                new BoxText.Parsed(List.of(new Box(1.5, -2, 3, 1200)), false), BoxText.parse("[1.5, -2, 3, 1200]"));
        assertEquals(new BoxText.Parsed(List.of(new Box(1, 2, 3, 4)), false), BoxText.parse("1 2 3 4"));
    }

    @Test
    void keepsTheGoodGroupsOfAMalformedList() {
        assertEquals(new BoxText.Parsed(List.of(new Box(1, 2, 3, 4)), true), BoxText.parse("[[1,2,3,4],[5,6"));
        assertEquals(new BoxText.Parsed(List.of(), true), BoxText.parse("[[1, 2, 3]]"));
        assertEquals(new BoxText.Parsed(List.of(), true), BoxText.parse(""));
        assertEquals(new BoxText.Parsed(List.of(), true), BoxText.parse("[[1-2, 3, 4, 5]]"));
        assertEquals(new BoxText.Parsed(List.of(), true), BoxText.parse("[[" + "9".repeat(400) + ", 1, 2, 3]]"));
        assertTrue(BoxText.parse("[[1,2,3,4]]]").malformed());
    }

    @Test
    void onlyNumbersAndBracketsLookLikeBoxes() {
        assertTrue(BoxText.looksLikeBoxes("[[10, 20, 30, 40]]"));
        assertTrue(BoxText.looksLikeBoxes("[[10, 2"));
        assertFalse(BoxText.looksLikeBoxes("Total: 40"));
        assertFalse(BoxText.looksLikeBoxes("[[1e3, 2, 3, 4]]"));
    }
}
