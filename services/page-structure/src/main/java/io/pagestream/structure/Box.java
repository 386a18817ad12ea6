package io.pagestream.structure;

/**
 * An axis-aligned rectangle, top-left origin, y growing downwards, in whatever unit its owner says: the model's
 * 0–1000 grid, pixels of the rendered image, or PDF points.
 */
public record Box(double x1, double y1, double x2, double y2) {
    public Box {
        if (!(Double.isFinite(x1) && Double.isFinite(y1) && Double.isFinite(x2) && Double.isFinite(y2))) {
            throw new IllegalArgumentException(
                    "box coordinates must be finite: " + x1 + ", " + y1 + ", " + x2 + ", " + y2);
        }
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    /** The smallest box holding both. */
    public Box union(Box other) {
        return new Box(Math.min(x1, other.x1), Math.min(y1, other.y1), Math.max(x2, other.x2), Math.max(y2, other.y2));
    }
}
