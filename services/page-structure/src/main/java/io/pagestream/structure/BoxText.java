package io.pagestream.structure;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the inside of a {@code <box>} tag: {@code [[x1, y1, x2, y2]]}, several boxes as {@code [[…], […]]}, and the
 * looser {@code [x1, y1, x2, y2]} or bare four numbers. A group without exactly four numbers is dropped.
 */
final class BoxText {
    /**
     * @param boxes     the groups of four numbers, as written (not clamped)
     * @param malformed some of it could not be read: a group of another size, unbalanced brackets, a bad number
     */
    record Parsed(List<Box> boxes, boolean malformed) {}

    private BoxText() {}

    /** Whether the text is made only of what boxes are written with, so it is markup and never page text. */
    static boolean looksLikeBoxes(String content) {
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (!(c >= '0' && c <= '9'
                    || c == '['
                    || c == ']'
                    || c == ','
                    || c == '.'
                    || c == '-'
                    || c == '+'
                    || Character.isWhitespace(c))) {
                return false;
            }
        }
        return true;
    }

    /** The boxes of text for which {@link #looksLikeBoxes} holds. */
    static Parsed parse(String content) {
        List<Box> boxes = new ArrayList<>();
        boolean malformed = false;
        List<Double> group = new ArrayList<>();
        int depth = 0;
        int i = 0;
        int n = content.length();
        while (i < n) {
            char c = content.charAt(i);
            if (c == '[') {
                depth++;
                if (!group.isEmpty()) {
                    malformed = true; // numbers before a nested bracket: not a group of ours
                    group.clear();
                }
                i++;
            } else if (c == ']') {
                if (depth == 0) {
                    malformed = true;
                } else {
                    depth--;
                }
                malformed |= close(group, boxes);
                i++;
            } else if (c == ',' || Character.isWhitespace(c)) {
                i++;
            } else {
                int start = i;
                while (i < n && "0123456789.-+".indexOf(content.charAt(i)) >= 0) {
                    i++;
                }
                Double value = number(content.substring(start, i));
                if (value == null) {
                    malformed = true;
                } else {
                    group.add(value);
                }
            }
        }
        if (depth != 0) {
            malformed = true;
        }
        malformed |= close(group, boxes);
        if (boxes.isEmpty()) {
            malformed = true;
        }
        return new Parsed(List.copyOf(boxes), malformed);
    }

    /** Ends a group: four numbers make a box, anything else but nothing is malformed. */
    private static boolean close(List<Double> group, List<Box> boxes) {
        if (group.isEmpty()) {
            return false;
        }
        boolean ok = group.size() == 4;
        if (ok) {
            boxes.add(new Box(group.get(0), group.get(1), group.get(2), group.get(3)));
        }
        group.clear();
        return !ok;
    }

    private static Double number(String token) {
        try {
            double v = Double.parseDouble(token);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
