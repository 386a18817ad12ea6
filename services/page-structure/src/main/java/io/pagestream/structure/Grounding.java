package io.pagestream.structure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Takes InternVL's grounding tags out of the output and remembers what they said: the text is kept, each
 * {@code <ref>text</ref><box>[[…]]</box>} becomes an {@link Anchor} over that text. The tags are single tokens of
 * the model ({@code <ref>} 92549 … {@code </box>} 92552), so they are never page text, and are recognised anywhere.
 *
 * <p>Lenient by design, every irregularity is an {@link Issue}: a {@code <ref>} left open ends at the next
 * {@code <ref>} or {@code <box>} or at the end; a closing tag without its opener is dropped; a {@code <box>} ends at
 * the next tag even without {@code </box>}; a box after text that no {@code <ref>} marked grounds that text's line;
 * box content that is not numbers and brackets is kept as text.
 */
final class Grounding {
    static final String REF_OPEN = "<ref>";
    static final String REF_CLOSE = "</ref>";
    static final String BOX_OPEN = "<box>";
    static final String BOX_CLOSE = "</box>";

    /** The tag-free text, its anchors in text order, and the irregularities found. */
    record Result(String text, List<Anchor> anchors, List<Issue> issues) {}

    private final String raw;
    private final boolean layout;
    private final StringBuilder out = new StringBuilder();
    private final List<Anchor> anchors = new ArrayList<>();
    private final List<Issue> issues = new ArrayList<>();
    private int pos;
    private int openRef = -1; // start of the text of a <ref> not yet closed
    private int pendingStart = -1; // a closed <ref> waiting for its <box>
    private int pendingEnd = -1;
    private int regionStart = -1; // a labelled layout region, running until the next <ref>
    private final List<Box> regionBoxes = new ArrayList<>();
    private BlockType regionLabel;
    private final Set<Flag> regionFlags = EnumSet.noneOf(Flag.class);
    private int lastAnchorEnd;

    private Grounding(String raw, boolean layout) {
        this.raw = raw;
        this.layout = layout;
    }

    /**
     * @param layout whether a {@code <ref>} may be a region label (see {@link RegionLabel}) whose region is the text
     *               after its box
     */
    static Result strip(String raw, boolean layout) {
        return new Grounding(raw, layout).run();
    }

    private Result run() {
        while (true) {
            int tag = nextTag(pos);
            if (tag < 0) {
                out.append(raw, pos, raw.length());
                break;
            }
            out.append(raw, pos, tag);
            if (raw.startsWith(REF_OPEN, tag)) {
                pos = tag + REF_OPEN.length();
                openRef();
            } else if (raw.startsWith(REF_CLOSE, tag)) {
                pos = tag + REF_CLOSE.length();
                closeRef();
            } else if (raw.startsWith(BOX_OPEN, tag)) {
                pos = tag + BOX_OPEN.length();
                box();
            } else {
                pos = tag + BOX_CLOSE.length();
                issue(Flag.MALFORMED_MARKUP); // a </box> nothing opened
            }
        }
        if (openRef >= 0) {
            anchor(openRef, out.length(), List.of(), EnumSet.of(Flag.MALFORMED_MARKUP, Flag.TRUNCATED));
            openRef = -1;
        }
        flushPending();
        closeRegion();
        anchors.sort(Comparator.comparingInt(Anchor::start));
        return new Result(out.toString(), List.copyOf(anchors), List.copyOf(issues));
    }

    private void openRef() {
        if (openRef >= 0) {
            anchor(openRef, out.length(), List.of(), EnumSet.of(Flag.MALFORMED_MARKUP));
        }
        flushPending();
        closeRegion();
        openRef = out.length();
    }

    private void closeRef() {
        if (openRef < 0) {
            issue(Flag.MALFORMED_MARKUP);
            return;
        }
        pendingStart = openRef;
        pendingEnd = out.length();
        openRef = -1;
    }

    private void box() {
        int next = nextTag(pos);
        boolean closed = next >= 0 && raw.startsWith(BOX_CLOSE, next);
        String content = raw.substring(pos, next < 0 ? raw.length() : next);
        pos = closed ? next + BOX_CLOSE.length() : next < 0 ? raw.length() : next;
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        if (!closed) {
            flags.add(Flag.MALFORMED_MARKUP);
            if (next < 0) {
                flags.add(Flag.TRUNCATED);
            }
        }
        if (openRef >= 0) { // <ref>text<box>: the ref's text ends where its box begins
            flags.add(Flag.MALFORMED_MARKUP);
            pendingStart = openRef;
            pendingEnd = out.length();
            openRef = -1;
        }
        List<Box> boxes = List.of();
        if (BoxText.looksLikeBoxes(content)) {
            BoxText.Parsed parsed = BoxText.parse(content);
            boxes = parsed.boxes();
            if (parsed.malformed()) {
                flags.add(Flag.MALFORMED_MARKUP);
            }
            if (!boxes.stream().allMatch(PageGeometry::onGrid)) {
                flags.add(Flag.BOX_OUT_OF_GRID);
            }
        } else {
            flags.add(Flag.MALFORMED_MARKUP); // not coordinates: the model wrote text here, keep it
        }
        attach(boxes, flags);
        if (!BoxText.looksLikeBoxes(content)) {
            out.append(content);
        }
    }

    /** Gives a box to the ref just closed, to an open labelled region, or to the line it follows. */
    private void attach(List<Box> boxes, Set<Flag> flags) {
        if (pendingStart >= 0 && out.substring(pendingEnd).isBlank()) {
            // a label needs a place: with no readable box the ref text is just text
            BlockType label =
                    layout && !boxes.isEmpty() ? RegionLabel.of(out.substring(pendingStart, pendingEnd)) : null;
            if (label != null) {
                out.setLength(pendingStart); // the label names the region; it is not the page's text
                pendingStart = pendingEnd = -1;
                openRegion(label, boxes, flags);
            } else {
                anchor(pendingStart, pendingEnd, boxes, flags);
                pendingStart = pendingEnd = -1;
            }
            return;
        }
        flushPending();
        if (regionStart >= 0) {
            regionBoxes.addAll(boxes);
            regionFlags.addAll(flags);
            return;
        }
        int lineStart = Math.max(lastAnchorEnd, out.lastIndexOf("\n") + 1);
        if (out.substring(lineStart).isBlank()) {
            if (!boxes.isEmpty()) {
                flags.add(Flag.MALFORMED_MARKUP); // a box of nothing: there is no text to place
            }
            for (Flag f : flags) {
                issue(f);
            }
            return;
        }
        anchor(lineStart, out.length(), boxes, flags);
    }

    private void openRegion(BlockType label, List<Box> boxes, Set<Flag> flags) {
        regionStart = out.length();
        regionLabel = label;
        regionBoxes.addAll(boxes);
        regionFlags.addAll(flags);
        lastAnchorEnd = regionStart;
    }

    private void closeRegion() {
        if (regionStart < 0) {
            return;
        }
        anchors.add(new Anchor(regionStart, out.length(), regionBoxes, regionLabel, regionFlags));
        lastAnchorEnd = out.length();
        regionStart = -1;
        regionBoxes.clear();
        regionFlags.clear();
        regionLabel = null;
    }

    /** A closed ref that got no box: its text is still grounded as a stretch of its own, without boxes. */
    private void flushPending() {
        if (pendingStart >= 0) {
            anchor(pendingStart, pendingEnd, List.of(), Set.of());
            pendingStart = pendingEnd = -1;
        }
    }

    private void anchor(int start, int end, List<Box> boxes, Set<Flag> flags) {
        if (regionStart >= 0) { // inside a labelled region: its text is the region's, the boxes too
            regionBoxes.addAll(boxes);
            regionFlags.addAll(flags);
            return;
        }
        anchors.add(new Anchor(start, end, boxes, null, flags));
        lastAnchorEnd = Math.max(lastAnchorEnd, end);
    }

    private void issue(Flag flag) {
        issues.add(new Issue(out.length(), flag));
    }

    private int nextTag(int from) {
        int i = raw.indexOf('<', from);
        while (i >= 0) {
            if (raw.startsWith(REF_OPEN, i)
                    || raw.startsWith(REF_CLOSE, i)
                    || raw.startsWith(BOX_OPEN, i)
                    || raw.startsWith(BOX_CLOSE, i)) {
                return i;
            }
            i = raw.indexOf('<', i + 1);
        }
        return -1;
    }
}
