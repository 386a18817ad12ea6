package io.pagestream.structure;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A page's raw model output into a {@link ParsedPage}. Pure and total: any string parses, and what could not be
 * read as structure is kept as text and flagged (see {@link Flag}). The rules are in {@code docs/page-structure.md}.
 *
 * <p>The steps: newlines normalised; a repetition loop at the end cut to its first copy ({@link Repetition});
 * grounding tags taken out, their boxes kept as anchors over the text ({@link Grounding}); the text read as
 * markdown blocks ({@link MarkdownBlocks}), per region in layout mode; boxes and flags given to the blocks they fall
 * in; layout regions put in reading order ({@link ReadingOrder}); page headers and footers and the title found;
 * confidence applied.
 */
public final class PageOutputParser {
    /** The factor applied to the page's confidence for a block that carries a flag. */
    public static final double DEGRADED_FACTOR = 0.5;

    private PageOutputParser() {}

    /** {@link #parse(String, PageGeometry, Mode, double)} with confidence 1. */
    public static ParsedPage parse(String raw, PageGeometry geometry, Mode mode) {
        return parse(raw, geometry, mode, 1);
    }

    /**
     * @param raw        the model's output as generated, grounding tokens written as their tags; null reads as empty
     * @param geometry   the image the model saw and the page it came from
     * @param confidence the page's confidence (the worker's, from token log-probabilities), clamped into [0, 1]
     */
    public static ParsedPage parse(String raw, PageGeometry geometry, Mode mode, double confidence) {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(mode, "mode");
        String text = raw == null ? "" : raw.replace("\r\n", "\n").replace('\r', '\n');
        Set<Flag> pageFlags = EnumSet.noneOf(Flag.class);
        Repetition.Cut cut = Repetition.cut(text);
        List<Draft> drafts = mode == Mode.TEXT ? TextBlocks.parse(cut.text()) : structured(cut.text(), mode, pageFlags);
        if (cut.cut()) {
            pageFlags.add(Flag.REPEATED_TAIL);
            pageFlags.add(Flag.TRUNCATED);
            if (!drafts.isEmpty()) {
                drafts.set(drafts.size() - 1, drafts.getLast().plus(EnumSet.of(Flag.REPEATED_TAIL, Flag.TRUNCATED)));
            }
        }
        if (mode != Mode.TEXT) {
            if (mode == Mode.LAYOUT) {
                drafts = ReadingOrder.sort(drafts);
            }
            drafts = electTitle(PageFurniture.mark(drafts));
        }
        return assemble(drafts, geometry, clamp(confidence), pageFlags);
    }

    /** Markdown and layout: grounding out, blocks per stretch, anchors' boxes and the issues onto the blocks. */
    private static List<Draft> structured(String text, Mode mode, Set<Flag> pageFlags) {
        Grounding.Result g = Grounding.strip(unfence(text), mode == Mode.LAYOUT);
        String plain = g.text();
        List<Issue> issues = new ArrayList<>(g.issues());
        List<Draft> drafts = new ArrayList<>();
        if (mode == Mode.MARKDOWN) {
            drafts.addAll(MarkdownBlocks.parse(plain, 0, plain.length(), true, issues));
            drafts.replaceAll(d -> ground(d, g.anchors()));
        } else {
            int at = 0;
            for (Anchor a : g.anchors()) {
                if (a.start() < at) {
                    continue; // cannot happen: anchors do not overlap; guards the loop all the same
                }
                drafts.addAll(MarkdownBlocks.parse(plain, at, a.start(), blankAfter(plain, a.start()), issues));
                drafts.addAll(Regions.of(
                        a, MarkdownBlocks.parse(plain, a.start(), a.end(), blankAfter(plain, a.end()), issues)));
                at = a.end();
            }
            drafts.addAll(MarkdownBlocks.parse(plain, at, plain.length(), true, issues));
        }
        for (Anchor a : g.anchors()) {
            pageFlags.addAll(a.flags());
        }
        for (Issue issue : issues) {
            pageFlags.add(issue.flag());
            for (int i = 0; i < drafts.size(); i++) {
                Draft d = drafts.get(i);
                if (issue.offset() >= d.start() && issue.offset() <= d.end()) {
                    drafts.set(i, d.plus(issue.flag()));
                    break;
                }
            }
        }
        return drafts;
    }

    /** A markdown block gets the boxes and flags of every grounded stretch within it. */
    private static Draft ground(Draft d, List<Anchor> anchors) {
        List<Box> boxes = new ArrayList<>();
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        for (Anchor a : anchors) {
            if (a.overlaps(d.start(), d.end())) {
                boxes.addAll(a.boxes());
                flags.addAll(a.flags());
            }
        }
        return boxes.isEmpty() && flags.isEmpty() ? d : d.withBoxes(boxes).plus(flags);
    }

    /**
     * The model often wraps a whole markdown answer in one {@code ```markdown} fence; the fence is not the page's.
     * Only a fence around everything, with no info string or {@code markdown}/{@code md}, is taken off.
     */
    static String unfence(String text) {
        String t = text.strip();
        int firstNl = t.indexOf('\n');
        if (firstNl < 0 || !t.startsWith("```") || !t.endsWith("```")) {
            return text;
        }
        String info = t.substring(3, firstNl).strip();
        String body = t.substring(firstNl + 1, t.length() - 3);
        if (!(info.isEmpty() || info.equalsIgnoreCase("markdown") || info.equalsIgnoreCase("md"))
                || body.contains("```")) {
            return text;
        }
        return body;
    }

    /** The first level-1 heading in reading order is the page's title, unless a layout label named one. */
    private static List<Draft> electTitle(List<Draft> drafts) {
        if (drafts.stream().anyMatch(d -> d.type() == BlockType.TITLE)) {
            return drafts;
        }
        List<Draft> out = new ArrayList<>(drafts);
        for (int i = 0; i < out.size(); i++) {
            Draft d = out.get(i);
            if (d.type() == BlockType.HEADING && d.level() == 1) {
                out.set(i, d.withType(BlockType.TITLE, 1));
                break;
            }
        }
        return out;
    }

    private static ParsedPage assemble(
            List<Draft> drafts, PageGeometry geometry, double confidence, Set<Flag> pageFlags) {
        List<Block> blocks = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        StringBuilder markdown = new StringBuilder();
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        flags.addAll(pageFlags);
        Draft previous = null;
        for (Draft d : drafts) {
            int tableIndex = -1;
            if (d.table() != null) {
                tableIndex = tables.size();
                tables.add(d.table());
            }
            List<Placement> boxes = d.boxes().stream().map(geometry::place).toList();
            double c = d.flags().isEmpty() ? confidence : confidence * DEGRADED_FACTOR;
            blocks.add(new Block(blocks.size(), d.type(), d.level(), d.text(), c, boxes, tableIndex, d.flags()));
            flags.addAll(d.flags());
            if (!d.markdown().isEmpty()) {
                if (!markdown.isEmpty()) {
                    boolean list = previous != null
                            && previous.type() == BlockType.LIST_ITEM
                            && d.type() == BlockType.LIST_ITEM;
                    markdown.append(list ? "\n" : "\n\n");
                }
                markdown.append(d.markdown());
                previous = d;
            }
        }
        return new ParsedPage(markdown.toString(), blocks, tables, flags);
    }

    private static boolean blankAfter(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static double clamp(double confidence) {
        return Double.isNaN(confidence) ? 0 : Math.max(0, Math.min(1, confidence));
    }
}
