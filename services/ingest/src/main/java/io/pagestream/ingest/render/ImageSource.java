package io.pagestream.ingest.render;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * PNG, JPEG, WebP (one page) and TIFF (one page per image of the file), read straight from the file. Sizes come from
 * the headers and are checked before any pixel is decoded; decoding then uses source subsampling, so a large scan
 * costs memory in proportion to the output page, not to the input. JPEG EXIF orientation is applied.
 *
 * <p>Readers are created from their providers directly (TwelveMonkeys for TIFF, JPEG — CMYK and YCCK included — and
 * WebP; the JDK's for PNG), not looked up by format name, so the choice never depends on class loaders or on which
 * other plugins are installed.
 */
final class ImageSource implements PageSource {
    /** TwelveMonkeys' JPEG reader wraps the JDK's, which it finds when registered: so register it once. */
    private static final JPEGImageReaderSpi JPEG = registered(new JPEGImageReaderSpi());

    private static <T extends javax.imageio.spi.ImageReaderSpi> T registered(T spi) {
        javax.imageio.spi.IIORegistry.getDefaultInstance()
                .registerServiceProvider(spi, javax.imageio.spi.ImageReaderSpi.class);
        return spi;
    }

    private final DocumentFormat format;
    private final ImageInputStream input;
    private final ImageReader reader;
    private final int pages;
    private final int orientation;

    private ImageSource(DocumentFormat format, ImageInputStream input, ImageReader reader, int pages, int orientation) {
        this.format = format;
        this.input = input;
        this.reader = reader;
        this.pages = pages;
        this.orientation = orientation;
    }

    static ImageSource open(Path file, DocumentFormat format, Limits limits) throws Rejected {
        ImageInputStream input = null;
        ImageReader reader = null;
        try {
            input = Images.input(file);
            reader = readerFor(format);
            reader.setInput(input, false, true);
            int pages = format == DocumentFormat.TIFF ? tiffPages(reader, limits) : 1;
            if (pages == 0) {
                throw new Rejected(Reason.EMPTY, "the " + format + " file holds no image");
            }
            for (int i = 0; i < pages; i++) {
                long w = reader.getWidth(i);
                long h = reader.getHeight(i);
                if (w <= 0 || h <= 0) {
                    throw new Rejected(Reason.EMPTY, "image " + (i + 1) + " has no pixels");
                }
                if (w * h > limits.maxPixelsPerPage()) {
                    throw new Rejected(
                            Reason.TOO_MANY_PIXELS,
                            (pages > 1 ? "page " + (i + 1) + " is " : "the image is ") + w + " x " + h
                                    + " pixels; a page may have at most " + limits.maxPixelsPerPage() + " pixels");
                }
            }
            int orientation = format == DocumentFormat.JPEG ? Images.jpegOrientation(file) : 1;
            return new ImageSource(format, input, reader, pages, orientation);
        } catch (Rejected e) {
            close(reader, input);
            throw e;
        } catch (IOException | RuntimeException e) {
            close(reader, input);
            throw Rejected.corrupt("the " + format + " file cannot be read: " + e.getMessage(), e);
        }
    }

    private static int tiffPages(ImageReader reader, Limits limits) throws IOException, Rejected {
        int pages = reader.getNumImages(true);
        if (pages > limits.maxPages()) {
            throw new Rejected(
                    Reason.TOO_MANY_PAGES, "the TIFF has " + pages + " pages; the limit is " + limits.maxPages());
        }
        return pages;
    }

    static ImageReader readerFor(DocumentFormat format) throws IOException {
        return switch (format) {
            case TIFF -> new TIFFImageReaderSpi().createReaderInstance();
            case JPEG -> JPEG.createReaderInstance();
            case WEBP -> new WebPImageReaderSpi().createReaderInstance();
            case PNG -> jdkPngReader();
            default -> throw new IllegalArgumentException("not an image format: " + format);
        };
    }

    private static ImageReader jdkPngReader() {
        ImageReader fallback = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("png"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio.")) {
                return r;
            }
            fallback = fallback == null ? r : fallback;
        }
        if (fallback == null) {
            throw new IllegalStateException("no PNG reader");
        }
        return fallback;
    }

    @Override
    public int pageCount() {
        return pages;
    }

    @Override
    public RenderedPage render(int index) throws Rejected {
        try {
            int w = reader.getWidth(index);
            int h = reader.getHeight(index);
            boolean swap = Images.swapsAxes(orientation);
            int[] target = swap ? TargetSize.forRaster(h, w) : TargetSize.forRaster(w, h);
            int targetW = swap ? target[1] : target[0]; // in stored (unrotated) orientation
            int targetH = swap ? target[0] : target[1];
            int step = Math.max(1, Math.min(w / targetW, h / targetH));
            ImageReadParam param = reader.getDefaultReadParam();
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage decoded = reader.read(index, param);
            BufferedImage scaled = Images.scaleToRgb(decoded, targetW, targetH);
            // A raster page's points are its pixels, as displayed (orientation applied).
            int shownW = swap ? h : w;
            int shownH = swap ? w : h;
            return new RenderedPage(
                    Images.orient(scaled, orientation),
                    new SourceGeometry(shownW, shownH, (double) target[0] / shownW));
        } catch (IOException | RuntimeException e) {
            throw Rejected.corrupt(
                    (pages > 1 ? "page " + (index + 1) + " of the " : "the ") + format + " image cannot be decoded: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        close(reader, input);
    }

    private static void close(ImageReader reader, ImageInputStream input) {
        if (reader != null) {
            reader.dispose();
        }
        if (input != null) {
            try {
                input.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
