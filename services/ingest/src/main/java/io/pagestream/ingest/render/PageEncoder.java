package io.pagestream.ingest.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The encode rule: text stays lossless, photographs and scans become JPEG.
 * <ol>
 *   <li>A page whose every pixel is grey (R = G = B) is encoded as 8-bit greyscale, otherwise as RGB.</li>
 *   <li>It is encoded as PNG. Rendered text, line art and flat colour compress well as PNG (typically under 1 bit per
 *       pixel) and stay exact, so thin strokes and small type keep their edges.</li>
 *   <li>If the PNG takes more than {@value #PNG_BITS_PER_PIXEL_LIMIT} bits per pixel — the signature of photographs,
 *       scanner noise and gradients — the page is also encoded as JPEG at quality {@code jpegQuality} (default 0.90,
 *       where JPEG artefacts around text stay below what changes a glyph), and the smaller of the two is kept.</li>
 * </ol>
 */
public final class PageEncoder {
    static final int PNG_BITS_PER_PIXEL_LIMIT = 2;

    private final float jpegQuality;

    public PageEncoder(float jpegQuality) {
        if (!(jpegQuality > 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1]: " + jpegQuality);
        }
        this.jpegQuality = jpegQuality;
    }

    /** Encodes a rendered page (an opaque {@code TYPE_INT_RGB} image) by the rule above. */
    public EncodedPage encode(RenderedPage page) {
        BufferedImage rgb = page.image();
        BufferedImage image = isGrey(rgb) ? toGrey(rgb) : rgb;
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] png = write(image, "png", null);
        if ((long) png.length * 8 <= (long) PNG_BITS_PER_PIXEL_LIMIT * w * h) {
            return new EncodedPage(png, "image/png", w, h, page.source());
        }
        byte[] jpeg = write(image, "jpeg", jpegQuality);
        return jpeg.length < png.length
                ? new EncodedPage(jpeg, "image/jpeg", w, h, page.source())
                : new EncodedPage(png, "image/png", w, h, page.source());
    }

    static boolean isGrey(BufferedImage rgb) {
        if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expects TYPE_INT_RGB, got type " + rgb.getType());
        }
        int[] px = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        for (int p : px) {
            int r = (p >> 16) & 0xFF;
            int g = (p >> 8) & 0xFF;
            int b = p & 0xFF;
            if (r != g || g != b) {
                return false;
            }
        }
        return true;
    }

    private static BufferedImage toGrey(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] px = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        WritableRaster out = grey.getRaster();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                row[x] = px[y * w + x] & 0xFF;
            }
            out.setSamples(0, y, w, 1, 0, row);
        }
        return grey;
    }

    private static byte[] write(BufferedImage image, String format, Float quality) {
        ImageWriter writer = jdkWriter(format);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a page as " + format, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The JDK's own writer (deterministic whatever other plugins are registered). */
    private static ImageWriter jdkWriter(String format) {
        ImageWriter fallback = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
            if (fallback == null) {
                fallback = w;
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return fallback;
    }
}
