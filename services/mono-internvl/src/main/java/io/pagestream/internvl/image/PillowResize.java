package io.pagestream.internvl.image;

import java.util.Arrays;

/**
 * Pillow's {@code Image.resize} with the BICUBIC filter for 8-bit RGB: separable, horizontal pass first, then
 * vertical, each in fixed point with the sum rounded and clamped to 0..255 after the pass.
 *
 * <p>As in Pillow, a pass whose dimension does not change is skipped and the horizontal pass only produces the rows the
 * vertical pass will read. At scale 1 the cubic's taps are exactly 1, 0, 0, so both are savings, not changes in output.
 */
public final class PillowResize {

    private PillowResize() {}

    public static RgbImage bicubic(RgbImage source, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("cannot resize to " + width + "x" + height);
        }
        if (source.width() < 1 || source.height() < 1) {
            throw new IllegalArgumentException(
                    "cannot resize an empty " + source.width() + "x" + source.height() + " image");
        }
        boolean horizontal = width != source.width();
        boolean vertical = height != source.height();
        if (!horizontal && !vertical) {
            return new RgbImage(width, height, source.pixels().clone());
        }
        ResampleCoefficients rows = vertical ? ResampleCoefficients.bicubic(source.height(), height) : null;
        RgbImage stage = source;
        int rowOffset = 0;
        if (horizontal) {
            int firstRow = vertical ? rows.starts()[0] : 0;
            int endRow = vertical ? rows.starts()[height - 1] + rows.counts()[height - 1] : source.height();
            stage = resampleRows(source, firstRow, endRow, ResampleCoefficients.bicubic(source.width(), width));
            rowOffset = firstRow;
        }
        return vertical ? resampleColumns(stage, rowOffset, rows) : stage;
    }

    /** Resamples each row in [firstRow, endRow) to the coefficients' width. */
    private static RgbImage resampleRows(RgbImage source, int firstRow, int endRow, ResampleCoefficients taps) {
        int outWidth = taps.starts().length;
        RgbImage out = RgbImage.blank(outWidth, endRow - firstRow);
        byte[] in = source.pixels();
        byte[] dst = out.pixels();
        int[] weights = taps.weights();
        for (int y = firstRow; y < endRow; y++) {
            int rowBase = 3 * y * source.width();
            int outBase = 3 * (y - firstRow) * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int r = ResampleCoefficients.rounding();
                int g = r;
                int b = r;
                int w0 = x * taps.kernelSize();
                int p = rowBase + 3 * taps.starts()[x];
                for (int k = 0; k < taps.counts()[x]; k++, p += 3) {
                    int w = weights[w0 + k];
                    r += (in[p] & 0xFF) * w;
                    g += (in[p + 1] & 0xFF) * w;
                    b += (in[p + 2] & 0xFF) * w;
                }
                int at = outBase + 3 * x;
                dst[at] = (byte) ResampleCoefficients.toSample(r);
                dst[at + 1] = (byte) ResampleCoefficients.toSample(g);
                dst[at + 2] = (byte) ResampleCoefficients.toSample(b);
            }
        }
        return out;
    }

    /** Resamples each column; source row {@code rowOffset} is the stage's row 0. */
    private static RgbImage resampleColumns(RgbImage stage, int rowOffset, ResampleCoefficients taps) {
        int width = stage.width();
        int outHeight = taps.starts().length;
        RgbImage out = RgbImage.blank(width, outHeight);
        byte[] in = stage.pixels();
        byte[] dst = out.pixels();
        int[] weights = taps.weights();
        int stride = 3 * width;
        int[] acc = new int[stride];
        for (int y = 0; y < outHeight; y++) {
            Arrays.fill(acc, ResampleCoefficients.rounding());
            int w0 = y * taps.kernelSize();
            int rowBase = (taps.starts()[y] - rowOffset) * stride;
            // Row-wise accumulation walks memory in order; the sums are the same integers as per-column loops.
            for (int k = 0; k < taps.counts()[y]; k++, rowBase += stride) {
                int w = weights[w0 + k];
                for (int i = 0; i < stride; i++) {
                    acc[i] += (in[rowBase + i] & 0xFF) * w;
                }
            }
            int outBase = y * stride;
            for (int i = 0; i < stride; i++) {
                dst[outBase + i] = (byte) ResampleCoefficients.toSample(acc[i]);
            }
        }
        return out;
    }
}
