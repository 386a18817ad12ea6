package io.pagestream.structure;

/** What the page was asked for, and so how much of its output is markup to interpret. */
public enum Mode {
    /** Plain text: paragraphs split at blank lines, nothing interpreted. */
    TEXT,
    /** Markdown: headings, lists, pipe and HTML tables, formulas; grounding tags stripped, their boxes kept. */
    MARKDOWN,
    /** Grounded regions {@code <ref>…</ref><box>[[…]]</box>}: one or more blocks per region, ordered by their boxes. */
    LAYOUT
}
