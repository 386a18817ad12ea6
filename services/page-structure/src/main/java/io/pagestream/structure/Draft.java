package io.pagestream.structure;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A block on its way out: what it is, its text and its normalised markdown, the stretch {@code [start, end)} of the
 * tag-free text it came from (so the anchors and issues there reach it), its grid boxes as written, and its table.
 */
record Draft(
        BlockType type,
        int level,
        String text,
        String markdown,
        int start,
        int end,
        Table table,
        List<Box> boxes,
        Set<Flag> flags) {
    Draft {
        boxes = List.copyOf(boxes);
        flags = Flags.copyOf(flags);
    }

    static Draft of(BlockType type, int level, String text, String markdown, int start, int end) {
        return new Draft(type, level, text, markdown, start, end, null, List.of(), Set.of());
    }

    Draft withType(BlockType newType, int newLevel) {
        return new Draft(newType, newLevel, text, markdown, start, end, table, boxes, flags);
    }

    Draft withTable(Table newTable) {
        return new Draft(type, level, text, markdown, start, end, newTable, boxes, flags);
    }

    Draft withBoxes(List<Box> newBoxes) {
        return new Draft(type, level, text, markdown, start, end, table, newBoxes, flags);
    }

    Draft plus(Set<Flag> more) {
        if (more.isEmpty() || flags.containsAll(more)) {
            return this;
        }
        EnumSet<Flag> all = EnumSet.noneOf(Flag.class);
        all.addAll(flags);
        all.addAll(more);
        return new Draft(type, level, text, markdown, start, end, table, boxes, all);
    }

    Draft plus(Flag flag) {
        return plus(EnumSet.of(flag));
    }

    /** The union of its boxes, or null when it has none. */
    Box extent() {
        Box union = null;
        for (Box b : boxes) {
            Box g = PageGeometry.clampToGrid(b);
            union = union == null ? g : union.union(g);
        }
        return union;
    }
}
