package io.pagestream.structure;

/** What a block is. The rules that assign each type are in {@code docs/page-structure.md}. */
public enum BlockType {
    TITLE,
    HEADING,
    PARAGRAPH,
    LIST_ITEM,
    TABLE,
    FORMULA,
    /** A located figure without text, from a layout region labelled as one. */
    FIGURE,
    FIGURE_CAPTION,
    PAGE_HEADER,
    PAGE_FOOTER
}
