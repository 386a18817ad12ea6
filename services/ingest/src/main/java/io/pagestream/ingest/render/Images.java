package io.pagestream.ingest.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOException;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/** Image helpers: the decoders' input, high-quality downscaling onto white, and EXIF orientation. */
public final class Images {
    /**
     * Reads past the end a decoder may make before its input counts as exhausted. A decoder that reads ahead ends a
     * good image with a few; one decoding garbage ends never: TwelveMonkeys' WebP bit reader swallows the
     * {@code EOFException} and goes on decoding zeros, for up to 100 megapixels (a 54-byte lossless WebP held a render
     * slot for minutes).
     */
    static final int READS_PAST_END = 4096;

    private Images() {}

    /**
     * The decoders' input from {@code file}: once a decoder has read past the end {@link #READS_PAST_END} times, the
     * next read fails with an {@link IIOException}, which no decoder mistakes for a normal end of data.
     */
    static ImageInputStream input(Path file) throws IOException {
        return new FileImageInputStream(file.toFile()) {
            private int pastEnd;

            @Override
            public int read() throws IOException {
                return counted(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return counted(super.read(b, off, len));
            }

            private int counted(int n) throws IIOException {
                if (n < 0 && ++pastEnd > READS_PAST_END) {
                    throw new IIOException("the image data ends early: the decoder kept reading past its end");
                }
                return n;
            }
        };
    }

    /**
     * {@code src} scaled to width × height as an opaque RGB image: transparent areas become white (paper), shrinking
     * goes by halving steps with bilinear filtering and ends with one bicubic step (no aliasing of thin strokes).
     */
    public static BufferedImage scaleToRgb(BufferedImage src, int width, int height) {
        BufferedImage current = src;
        while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
            current = draw(
                    current,
                    current.getWidth() / 2,
                    current.getHeight() / 2,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() == width
                && current.getHeight() == height
                && current.getType() == BufferedImage.TYPE_INT_RGB) {
            return current;
        }
        return draw(current, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }

    private static BufferedImage draw(BufferedImage src, int width, int height, Object interpolation) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Whether an EXIF orientation swaps width and height (values 5 to 8). */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** {@code src} turned upright according to an EXIF orientation value (1 to 8; anything else is left alone). */
    public static BufferedImage orient(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> {
                t.translate(w, 0);
                t.scale(-1, 1);
            } // mirrored
            case 3 -> {
                t.translate(w, h);
                t.rotate(Math.PI);
            } // upside down
            case 4 -> {
                t.translate(0, h);
                t.scale(1, -1);
            } // mirrored vertically
            case 5 -> {
                t.rotate(-Math.PI / 2);
                t.scale(-1, 1);
            } // transpose
            case 6 -> {
                t.translate(h, 0);
                t.rotate(Math.PI / 2);
            } // rotate 90° clockwise to view
            case 7 -> {
                t.translate(h, w);
                t.rotate(Math.PI / 2);
                t.scale(-1, 1);
            } // transverse
            case 8 -> {
                t.translate(0, w);
                t.rotate(-Math.PI / 2);
            } // rotate 90° counter-clockwise to view
            default -> {}
        }
        int ow = swapsAxes(orientation) ? h : w;
        int oh = swapsAxes(orientation) ? w : h;
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, ow, oh);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(src, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The EXIF orientation of a JPEG file (tag 0x0112 of IFD0 in the APP1 "Exif" segment), or 1 when it has none.
     * Reads only the markers before the image data.
     */
    public static int jpegOrientation(Path jpeg) throws IOException {
        try (InputStream in = Files.newInputStream(jpeg)) {
            if (in.read() != 0xFF || in.read() != 0xD8) {
                return 1;
            }
            while (true) {
                int b = in.read();
                while (b == 0xFF) {
                    b = in.read();
                }
                if (b < 0 || b == 0xDA || b == 0xD9) {
                    return 1; // start of scan or end: no EXIF before the image data
                }
                int marker = b;
                int length = (in.read() << 8) | in.read();
                if (length < 2) {
                    return 1;
                }
                if (marker == 0xE1 && length < 65536) {
                    byte[] data = in.readNBytes(length - 2);
                    int o = exifOrientation(data);
                    if (o > 0) {
                        return o;
                    }
                } else {
                    in.skipNBytes(length - 2);
                }
            }
        } catch (java.io.EOFException e) {
            return 1;
        }
    }

    /** Orientation from an APP1 payload starting with "Exif\0\0", or 0 when absent or malformed. */
    static int exifOrientation(byte[] d) {
        if (d.length < 14 || d[0] != 'E' || d[1] != 'x' || d[2] != 'i' || d[3] != 'f' || d[4] != 0 || d[5] != 0) {
            return 0;
        }
        int base = 6;
        boolean little = d[base] == 'I' && d[base + 1] == 'I';
        if (!little && !(d[base] == 'M' && d[base + 1] == 'M')) {
            return 0;
        }
        long ifd = u32(d, base + 4, little);
        if (ifd < 8 || base + ifd + 2 > d.length) {
            return 0;
        }
        int p = base + (int) ifd;
        int entries = u16(d, p, little);
        for (int k = 0; k < entries; k++) {
            int e = p + 2 + 12 * k;
            if (e + 12 > d.length) {
                return 0;
            }
            if (u16(d, e, little) == 0x0112) {
                int value = u16(d, e + 8, little);
                return value >= 1 && value <= 8 ? value : 0;
            }
        }
        return 0;
    }

    private static int u16(byte[] d, int p, boolean little) {
        int a = d[p] & 0xFF;
        int b = d[p + 1] & 0xFF;
        return little ? a | (b << 8) : (a << 8) | b;
    }

    private static long u32(byte[] d, int p, boolean little) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int shift = little ? 8 * i : 8 * (3 - i);
            v |= (long) (d[p + i] & 0xFF) << shift;
        }
        return v;
    }
}
