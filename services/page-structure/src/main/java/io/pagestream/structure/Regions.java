package io.pagestream.structure;

import java.util.ArrayList;
import java.util.List;

/**
 * A layout region's blocks: each gets the region's boxes and flags. A labelled region's label sets the type of
 * its plain paragraphs (a {@code title} region's text is the title, a {@code formula} region's a formula …), and
 * of its headings where the label is the title or a page header or footer; what the text's own markup says
 * otherwise wins (a {@code table} region whose text is no table stays a paragraph). A labelled region without text
 * is one empty block of the label's type (typically a figure).
 */
final class Regions {
    /** The level a heading gets from a label, not knowing its rank: below the title. */
    static final int LABELLED_HEADING_LEVEL = 2;

    private Regions() {}

    static List<Draft> of(Anchor region, List<Draft> drafts) {
        List<Draft> out = new ArrayList<>();
        BlockType label = region.label();
        if (label != null && drafts.isEmpty()) {
            out.add(new Draft(label, 0, "", "", region.start(), region.end(), null, region.boxes(), region.flags()));
            return out;
        }
        for (Draft d : drafts) {
            Draft typed = label == null ? d : typed(d, label);
            out.add(typed.withBoxes(region.boxes()).plus(region.flags()));
        }
        return out;
    }

    private static Draft typed(Draft d, BlockType label) {
        boolean plain = d.type() == BlockType.PARAGRAPH;
        boolean heading = d.type() == BlockType.HEADING;
        return switch (label) {
            case TITLE -> plain || heading ? retyped(d, BlockType.TITLE, 1, "# " + oneLine(d)) : d;
            case HEADING -> plain ? retyped(d, BlockType.HEADING, LABELLED_HEADING_LEVEL, "## " + oneLine(d)) : d;
            case PAGE_HEADER, PAGE_FOOTER -> plain || heading ? retyped(d, label, 0, d.text()) : d;
            case FORMULA -> plain ? retyped(d, BlockType.FORMULA, 0, "$$\n" + d.text() + "\n$$") : d;
            case LIST_ITEM -> plain ? retyped(d, BlockType.LIST_ITEM, 0, "- " + oneLine(d)) : d;
            case FIGURE, FIGURE_CAPTION -> plain ? retyped(d, label, 0, d.markdown()) : d;
            case PARAGRAPH, TABLE -> d;
        };
    }

    private static String oneLine(Draft d) {
        return d.text().replace('\n', ' ');
    }

    private static Draft retyped(Draft d, BlockType type, int level, String markdown) {
        return new Draft(type, level, d.text(), markdown, d.start(), d.end(), d.table(), d.boxes(), d.flags());
    }
}
