package io.pagestream.structure;

import java.util.List;
import java.util.Set;

/**
 * A unit of the page in reading order.
 *
 * @param order      position in reading order, from 0; equal to the block's index in {@link ParsedPage#blocks()}
 * @param level      heading level (1–6) for headings and titles, nesting depth (from 0) for list items, else 0
 * @param text       the block's text without its markdown markers; a table's is its cells, tab-separated, one row a line
 * @param confidence the page's confidence, halved when the block carries a flag
 * @param boxes      where the model located the block's text (empty when it did not ground it); several when it gave
 *                   several boxes
 * @param tableIndex index in {@link ParsedPage#tables()} of a table block's table, −1 otherwise
 * @param flags      what was wrong with this block's part of the output; empty for a clean block
 */
public record Block(
        int order,
        BlockType type,
        int level,
        String text,
        double confidence,
        List<Placement> boxes,
        int tableIndex,
        Set<Flag> flags) {
    public Block {
        boxes = List.copyOf(boxes);
        flags = Flags.copyOf(flags);
    }

    /** Whether something about this block had to be worked around. */
    public boolean degraded() {
        return !flags.isEmpty();
    }
}
