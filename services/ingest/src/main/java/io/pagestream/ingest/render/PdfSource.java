package io.pagestream.ingest.render;

import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * A PDF read from its file (never loaded into the heap: PDFBox reads it through a buffered random-access file and
 * caches decoded streams in temporary files), checked by {@link PdfGuard}, rendered page by page with PDFBox.
 *
 * <p>Encryption: a PDF that needs a password to open is refused ({@code ENCRYPTED}). One encrypted with an empty user
 * password (an "owner password" only, which every viewer opens) is rendered like any other.
 */
final class PdfSource implements PageSource {
    private final PDDocument document;
    private final PDFRenderer renderer;
    private final int pages;

    private PdfSource(PDDocument document, int pages) {
        this.document = document;
        this.pages = pages;
        // PDFBox's default cache keeps every image XObject it decoded (soft references, released only under memory
        // pressure): useless when each page is rendered once. Fonts and colour spaces, shared by pages, stay cached.
        document.setResourceCache(new NoImageCache());
        this.renderer = new PDFRenderer(document);
        this.renderer.setSubsamplingAllowed(true);
    }

    static PdfSource open(Path file, Limits limits) throws Rejected {
        PDDocument document;
        try {
            document = Loader.loadPDF(
                    new RandomAccessReadBufferedFile(file.toFile()),
                    "",
                    null,
                    null,
                    IOUtils.createTempFileOnlyStreamCache());
        } catch (InvalidPasswordException e) {
            throw new Rejected(Reason.ENCRYPTED, "the PDF is encrypted and needs a password to open");
        } catch (IOException | RuntimeException e) {
            throw Rejected.corrupt("the PDF cannot be parsed: " + e.getMessage(), e);
        }
        try {
            List<PDPage> pages = PdfGuard.check(document, limits);
            if (pages.isEmpty()) {
                throw new Rejected(Reason.EMPTY, "the PDF has no pages");
            }
            indexWalkedPages(document, pages);
            return new PdfSource(document, pages.size());
        } catch (Rejected | RuntimeException e) {
            closeQuietly(document);
            if (e instanceof Rejected r) {
                throw r;
            }
            throw Rejected.corrupt("the PDF's page tree cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the page tree's root list the pages the walk found, directly and with their true count. PDFBox finds a page
     * by its index (the renderer knows no other way) by descending through the {@code /Count} of each node, so a file
     * whose counts lie would otherwise show some pages twice, others never, or fail. Only the copy in memory changes;
     * each page keeps its {@code /Parent}, so the attributes it inherits (resources, boxes, rotation) stay its own.
     */
    private static void indexWalkedPages(PDDocument document, List<PDPage> pages) {
        COSArray kids = new COSArray();
        for (PDPage page : pages) {
            kids.add(page.getCOSObject());
        }
        COSDictionary root = document.getPages().getCOSObject();
        root.setItem(COSName.KIDS, kids);
        root.setInt(COSName.COUNT, pages.size());
    }

    private static final class NoImageCache extends org.apache.pdfbox.pdmodel.DefaultResourceCache {
        @Override
        public void put(
                org.apache.pdfbox.cos.COSObject indirect, org.apache.pdfbox.pdmodel.graphics.PDXObject xobject) {
            // not cached: rendered once
        }
    }

    @Override
    public int pageCount() {
        return pages;
    }

    @Override
    public RenderedPage render(int index) throws Rejected {
        try {
            PDPage page = document.getPage(index);
            PDRectangle box = page.getCropBox();
            double w = box.getWidth();
            double h = box.getHeight();
            if (page.getRotation() % 180 != 0) {
                double t = w;
                w = h;
                h = t;
            }
            float scale = (float) TargetSize.scale(w, h);
            BufferedImage image = renderer.renderImage(index, scale, ImageType.RGB);
            BufferedImage rgb = image.getType() == BufferedImage.TYPE_INT_RGB
                    ? image
                    : Images.scaleToRgb(image, image.getWidth(), image.getHeight());
            // The float PDFBox was given, not the double it came from: the image is floor(points x this) pixels.
            return new RenderedPage(rgb, new SourceGeometry(w, h, scale));
        } catch (IOException | RuntimeException e) {
            throw Rejected.corrupt("page " + (index + 1) + " of the PDF cannot be rendered: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(document);
    }

    private static void closeQuietly(PDDocument document) {
        try {
            document.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
