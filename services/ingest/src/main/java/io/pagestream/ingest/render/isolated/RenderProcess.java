package io.pagestream.ingest.render.isolated;

import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.ingest.render.PageEncoder;
import io.pagestream.ingest.render.PageSource;
import io.pagestream.ingest.render.PageSources;
import io.pagestream.ingest.render.RenderedPage;
import io.pagestream.ingest.render.SourceGeometry;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * A render process: the main class of the child JVMs that {@link RenderPool} starts. It opens one document at a time,
 * renders and encodes the pages it is asked for, and answers in {@link Frames} on stdout; stderr carries the
 * libraries' own logging. Nothing here catches an {@code Error}: a page that runs the heap out ends the process
 * ({@code -XX:+ExitOnOutOfMemoryError}), a {@code StackOverflowError} ends it through the uncaught exception, and the
 * parent tells the client why from the exit.
 *
 * <p>Arguments: the JPEG quality of the encode rule.
 */
public final class RenderProcess {
    /**
     * Classes of every library a page may need, loaded before READY: a child whose class path lacks one dies at start,
     * where the pool reports it, rather than on some client's page.
     */
    private static final String[] PRELOADED = {
        "org.apache.pdfbox.rendering.PDFRenderer",
        "org.apache.pdfbox.jbig2.JBIG2ImageReaderSpi",
        "com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi",
        "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi",
        "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi",
    };

    /**
     * PDFBox and FontBox at the level the service gives them (ERROR, application.properties): their warnings about
     * each oddity of a file are noise, their errors worth a line. Held here because java.util.logging keeps loggers
     * only weakly, and would forget the level.
     */
    private static final List<Logger> LIBRARIES = Stream.of("org.apache.pdfbox", "org.apache.fontbox")
            .map(Logger::getLogger)
            .toList();

    private final PageEncoder encoder;
    private final DataInputStream in;
    private final DataOutputStream out;
    private PageSource document;

    RenderProcess(PageEncoder encoder, DataInputStream in, DataOutputStream out) {
        this.encoder = encoder;
        this.in = in;
        this.out = out;
    }

    public static void main(String[] args) throws IOException, ClassNotFoundException {
        PageEncoder encoder = new PageEncoder(Float.parseFloat(args[0]));
        DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        LIBRARIES.forEach(logger -> logger.setLevel(Level.SEVERE));
        // stdout is the protocol channel: whatever a library prints goes to stderr with the rest of its logging.
        System.setOut(System.err);
        for (String name : PRELOADED) {
            Class.forName(name);
        }
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
        warmUp(encoder);
        new RenderProcess(encoder, new DataInputStream(new BufferedInputStream(System.in)), out).serve();
    }

    /**
     * Renders and encodes a small page of text once before READY, so that class loading, the first compilations and
     * PDFBox's font lookup (a scan of the system's fonts the first time) are paid here, while no client waits, and not
     * on a client's first page under its deadline.
     */
    private static void warmUp(PageEncoder encoder) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A6);
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(20, 20);
                content.showText("warm-up");
                content.endText();
            }
            BufferedImage image = new PDFRenderer(doc).renderImage(0, 1, ImageType.RGB);
            encoder.encode(new RenderedPage(image, new SourceGeometry(image.getWidth(), image.getHeight(), 1)));
        }
    }

    /** Answers requests until stdin ends (the parent closed it, or died). */
    void serve() throws IOException {
        out.writeByte(Frames.READY);
        out.flush();
        try {
            for (int tag; (tag = in.read()) >= 0; ) {
                switch (tag) {
                    case Frames.OPEN -> open(Frames.readOpen(in));
                    case Frames.PAGE -> page(in.readInt());
                    case Frames.CLOSE -> closeDocument();
                    default -> throw new IOException("unknown request " + tag);
                }
            }
        } finally {
            closeDocument();
        }
    }

    private void open(Frames.Open request) throws IOException {
        closeDocument();
        try {
            document = PageSources.open(request.file(), request.format(), request.limits());
        } catch (Rejected r) {
            Frames.writeRefused(out, r.reason(), r.getMessage());
            return;
        } catch (RuntimeException e) {
            Frames.writeRefused(out, Reason.CORRUPT_FILE, "the file cannot be read: " + e.getMessage());
            return;
        }
        out.writeByte(Frames.OPENED);
        out.writeInt(document.pageCount());
        out.flush();
    }

    private void page(int index) throws IOException {
        if (document == null || index < 0 || index >= document.pageCount()) {
            throw new IOException("no page " + index + " in the open document");
        }
        try {
            Frames.writeImage(out, encoder.encode(document.render(index)));
        } catch (Rejected r) {
            Frames.writeRefused(out, r.reason(), r.getMessage());
        } catch (RuntimeException e) {
            Frames.writeRefused(
                    out,
                    Reason.RENDER_FAILED,
                    "page " + (index + 1) + " cannot be rendered or encoded: " + e.getMessage());
        }
    }

    private void closeDocument() {
        if (document != null) {
            document.close();
            document = null;
        }
    }
}
