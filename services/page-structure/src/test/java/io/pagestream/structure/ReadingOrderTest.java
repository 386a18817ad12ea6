package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingOrderTest {
    @Test
    void oneColumnTopToBottomAndBoxesOnOneLineLeftToRight() {
        List<Draft> drafts = List.of(
                region("date", 700, 52, 900, 70),
                region("body", 100, 200, 900, 400),
                region("name", 100, 50, 400, 70), // top within 10 grid units of "date": same line
                region("end", 100, 600, 900, 700));
        assertEquals(List.of("name", "date", "body", "end"), texts(ReadingOrder.sort(drafts)));
    }

    @Test
    void twoColumnsAreReadColumnByColumnBetweenWideBlocks() {
        List<Draft> drafts = List.of(
                region("R1", 520, 150, 940, 300),
                region("title", 80, 50, 920, 100),
                region("L1", 60, 150, 480, 300),
                region("R2", 520, 320, 940, 500),
                region("L2", 60, 320, 480, 520),
                region("wide table", 60, 600, 940, 700),
                region("L3", 60, 720, 480, 900),
                region("R3", 520, 720, 940, 880));
        assertEquals(
                List.of("title", "L1", "L2", "R1", "R2", "wide table", "L3", "R3"), texts(ReadingOrder.sort(drafts)));
    }

    @Test
    void indentedBlocksOfOneColumnAreNotColumns() {
        // left and right blocks exist but never side by side: one column
        List<Draft> drafts = List.of(
                region("quote", 550, 300, 900, 350),
                region("para", 60, 100, 480, 250),
                region("after", 60, 400, 480, 500),
                region("note", 600, 550, 900, 600));
        assertEquals(List.of("para", "quote", "after", "note"), texts(ReadingOrder.sort(drafts)));
    }

    @Test
    void textWithoutABoxFollowsTheRegionBeforeIt() {
        List<Draft> drafts = new ArrayList<>();
        drafts.add(Draft.of(BlockType.PARAGRAPH, 0, "lead", "lead", 0, 0));
        drafts.add(region("second", 0, 500, 1000, 600));
        drafts.add(Draft.of(BlockType.PARAGRAPH, 0, "after second", "after second", 0, 0));
        drafts.add(region("first", 0, 100, 1000, 200));
        assertEquals(List.of("lead", "first", "second", "after second"), texts(ReadingOrder.sort(drafts)));
    }

    private static Draft region(String text, double x1, double y1, double x2, double y2) {
        return Draft.of(BlockType.PARAGRAPH, 0, text, text, 0, 0).withBoxes(List.of(new Box(x1, y1, x2, y2)));
    }

    private static List<String> texts(List<Draft> drafts) {
        return drafts.stream().map(Draft::text).toList();
    }
}
