package io.pagestream.structure;

import java.util.Locale;
import java.util.Map;

/**
 * Layout output may name a region's category instead of quoting its text:
 * {@code <ref>title</ref><box>[[…]]</box>Annual report}. These names (the categories of the common document-layout
 * data sets) make a region a labelled one; any other {@code <ref>} text is the region's text itself.
 */
final class RegionLabel {
    private static final Map<String, BlockType> LABELS = Map.ofEntries(
            Map.entry("title", BlockType.TITLE),
            Map.entry("doc title", BlockType.TITLE),
            Map.entry("heading", BlockType.HEADING),
            Map.entry("section header", BlockType.HEADING),
            Map.entry("section heading", BlockType.HEADING),
            Map.entry("paragraph", BlockType.PARAGRAPH),
            Map.entry("text", BlockType.PARAGRAPH),
            Map.entry("plain text", BlockType.PARAGRAPH),
            Map.entry("list", BlockType.LIST_ITEM),
            Map.entry("list item", BlockType.LIST_ITEM),
            Map.entry("table", BlockType.TABLE),
            Map.entry("formula", BlockType.FORMULA),
            Map.entry("equation", BlockType.FORMULA),
            Map.entry("isolate formula", BlockType.FORMULA),
            Map.entry("figure", BlockType.FIGURE),
            Map.entry("picture", BlockType.FIGURE),
            Map.entry("image", BlockType.FIGURE),
            Map.entry("caption", BlockType.FIGURE_CAPTION),
            Map.entry("figure caption", BlockType.FIGURE_CAPTION),
            Map.entry("page header", BlockType.PAGE_HEADER),
            Map.entry("header", BlockType.PAGE_HEADER),
            Map.entry("page footer", BlockType.PAGE_FOOTER),
            Map.entry("footer", BlockType.PAGE_FOOTER));

    private RegionLabel() {}

    /** The type a {@code <ref>} text names, or null when it is not a label. */
    static BlockType of(String refText) {
        if (refText.length() > 20) {
            return null;
        }
        String key = refText.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        return LABELS.get(key);
    }
}
