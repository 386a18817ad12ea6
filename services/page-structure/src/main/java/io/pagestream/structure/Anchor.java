package io.pagestream.structure;

import java.util.List;
import java.util.Set;

/**
 * A stretch of the tag-free text that the model grounded: {@code [start, end)} in that text, the boxes it gave for it
 * (grid units, as written), and for a labelled layout region the type its label names (else null).
 */
record Anchor(int start, int end, List<Box> boxes, BlockType label, Set<Flag> flags) {
    Anchor {
        boxes = List.copyOf(boxes);
        flags = Flags.copyOf(flags);
    }

    boolean overlaps(int from, int to) {
        return start == end ? start >= from && start <= to : start < to && end > from;
    }
}
