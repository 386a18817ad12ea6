package io.pagestream.structure;

/**
 * Something about the output that the parser had to work around. A flag never means an exception was thrown: the
 * affected part degrades (to a text block, a padded table, a clamped box) and carries the flag, and so does the page.
 */
public enum Flag {
    /** A grounding tag unclosed or without its opener, a box that is not a list of four numbers, an unclosed formula or code fence. */
    MALFORMED_MARKUP,
    /** The output stops inside a structure (an unclosed tag, table or formula, half a table row) or in a loop. */
    TRUNCATED,
    /** A box coordinate outside the 0–1000 grid, or corners in the wrong order: clamped and reordered. */
    BOX_OUT_OF_GRID,
    /** A table with rows of uneven width (padded), text between cells, or no cells at all (kept as a paragraph). */
    BROKEN_TABLE,
    /** The output ended in a run of repeated lines (a generation loop): all but the first copy were cut. */
    REPEATED_TAIL
}
