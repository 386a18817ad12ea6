package io.pagestream.structure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders layout regions by their boxes (grid units), for output whose order is the model's drawing order rather
 * than a reading order.
 *
 * <p>A block without a box stays right after the block before it (it is text between two regions). The others:
 * <ul>
 *   <li><b>One column</b> (the default): top to bottom by the box's top edge; boxes whose tops lie within
 *       {@value #SAME_LINE} grid units of the first box of a line form that line, read left to right.</li>
 *   <li><b>Two columns</b>, only when simple: a vertical gutter x = g, with g between {@value #GUTTER_MIN} and
 *       {@value #GUTTER_MAX}, that at least two boxes lie wholly left of and two wholly right of, with a left and a
 *       right box side by side (their vertical extents overlap). Boxes crossing the gutter (a title, a wide table, a
 *       centred page number) split the page into bands; each band is read left column first, each column top to
 *       bottom. Of several gutters the one crossed by fewest boxes wins, then the leftmost. More columns are not
 *       detected: they are read as two or as one.</li>
 * </ul>
 */
final class ReadingOrder {
    static final double SAME_LINE = 10;
    static final double GUTTER_MIN = 300;
    static final double GUTTER_MAX = 700;
    /** Beyond this many regions the quadratic gutter search is skipped and the page is read as one column. */
    private static final int MAX_COLUMN_SEARCH = 300;

    private ReadingOrder() {}

    /** A boxed draft and the unboxed drafts that follow it in the model's order. */
    private record Group(Box box, List<Draft> drafts) {}

    static List<Draft> sort(List<Draft> drafts) {
        List<Draft> lead = new ArrayList<>();
        List<Group> groups = new ArrayList<>();
        for (Draft d : drafts) {
            Box box = d.extent();
            if (box != null) {
                groups.add(new Group(box, new ArrayList<>(List.of(d))));
            } else if (groups.isEmpty()) {
                lead.add(d);
            } else {
                groups.getLast().drafts().add(d);
            }
        }
        List<Group> ordered = groups.size() > MAX_COLUMN_SEARCH ? oneColumn(groups) : order(groups);
        List<Draft> out = new ArrayList<>(lead);
        ordered.forEach(g -> out.addAll(g.drafts()));
        return out;
    }

    private static List<Group> order(List<Group> groups) {
        double gutter = gutter(groups);
        return Double.isNaN(gutter) ? oneColumn(groups) : twoColumns(groups, gutter);
    }

    private static List<Group> oneColumn(List<Group> groups) {
        List<Group> byTop = new ArrayList<>(groups);
        byTop.sort(Comparator.comparingDouble(g -> g.box().y1()));
        List<Group> out = new ArrayList<>();
        int i = 0;
        while (i < byTop.size()) {
            double top = byTop.get(i).box().y1();
            int j = i;
            while (j < byTop.size() && byTop.get(j).box().y1() - top <= SAME_LINE) {
                j++;
            }
            List<Group> line = new ArrayList<>(byTop.subList(i, j));
            line.sort(Comparator.comparingDouble(g -> g.box().x1()));
            out.addAll(line);
            i = j;
        }
        return out;
    }

    private static List<Group> twoColumns(List<Group> groups, double gutter) {
        List<Group> byTop = new ArrayList<>(groups);
        byTop.sort(Comparator.comparingDouble((Group g) -> g.box().y1())
                .thenComparingDouble(g -> g.box().x1()));
        List<Group> out = new ArrayList<>();
        List<Group> left = new ArrayList<>();
        List<Group> right = new ArrayList<>();
        for (Group g : byTop) {
            if (g.box().x2() <= gutter) {
                left.add(g);
            } else if (g.box().x1() >= gutter) {
                right.add(g);
            } else {
                out.addAll(left);
                out.addAll(right);
                left.clear();
                right.clear();
                out.add(g);
            }
        }
        out.addAll(left);
        out.addAll(right);
        return out;
    }

    /** The gutter x, or NaN when the page is not simply two columns. */
    private static double gutter(List<Group> groups) {
        double best = Double.NaN;
        int fewestCrossing = Integer.MAX_VALUE;
        List<Double> candidates = new ArrayList<>();
        for (Group g : groups) {
            candidates.add(g.box().x2());
            candidates.add(g.box().x1());
        }
        for (double x : candidates.stream().distinct().sorted().toList()) {
            if (x < GUTTER_MIN || x > GUTTER_MAX) {
                continue;
            }
            int leftCount = 0;
            int rightCount = 0;
            int crossing = 0;
            for (Group g : groups) {
                if (g.box().x2() <= x) {
                    leftCount++;
                } else if (g.box().x1() >= x) {
                    rightCount++;
                } else {
                    crossing++;
                }
            }
            if (leftCount >= 2 && rightCount >= 2 && crossing < fewestCrossing && sideBySide(groups, x)) {
                best = x;
                fewestCrossing = crossing;
            }
        }
        return best;
    }

    private static boolean sideBySide(List<Group> groups, double gutter) {
        for (Group l : groups) {
            if (l.box().x2() > gutter) {
                continue;
            }
            for (Group r : groups) {
                if (r.box().x1() >= gutter
                        && r.box().y1() < l.box().y2()
                        && l.box().y1() < r.box().y2()) {
                    return true;
                }
            }
        }
        return false;
    }
}
