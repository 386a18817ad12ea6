package io.pagestream.structure;

import java.util.List;
import java.util.Set;

/**
 * What a page's raw model output says, as structure.
 *
 * @param markdown normalised markdown of the whole page in reading order, grounding tags stripped
 * @param blocks   in reading order
 * @param tables   the tables of the table blocks, in reading order
 * @param flags    every flag of the blocks, and those of markup that belonged to no block
 */
public record ParsedPage(String markdown, List<Block> blocks, List<Table> tables, Set<Flag> flags) {
    public ParsedPage {
        blocks = List.copyOf(blocks);
        tables = List.copyOf(tables);
        flags = Flags.copyOf(flags);
    }

    public boolean degraded() {
        return !flags.isEmpty();
    }
}
