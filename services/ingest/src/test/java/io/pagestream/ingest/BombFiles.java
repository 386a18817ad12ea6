package io.pagestream.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * Small PDFs within every documented limit that a renderer inside the service could not survive: each kills, hangs or
 * exhausts the process that renders it. Generated, so each is a few hundred bytes to a few hundred KiB.
 */
public final class BombFiles {
    private static final COSName FORM = COSName.getPDFName("F0");
    private static final COSName FONT = COSName.getPDFName("T0");
    private static final COSName IMAGE = COSName.getPDFName("Im0");

    private BombFiles() {}

    /**
     * A form that draws itself twice: PDFBox stops each chain at its recursion limit but walks all 2^depth of them,
     * logging "recursion is too deep" at every leaf — in effect, forever.
     */
    public static byte[] selfDrawingForm() {
        return onePage((doc, page) -> {
            COSStream form = form(doc, "/F0 Do /F0 Do");
            form.setItem(COSName.RESOURCES, xobjects(FORM, form));
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources(xobjects(FORM, form)));
            return "/F0 Do";
        });
    }

    /**
     * Forms nested {@code depth} deep, each drawing the next {@code times} times: times^depth strokes from a few hundred
     * bytes (PdfGuard counts each form once).
     */
    public static byte[] formDrawnManyTimes(int times, int depth) {
        return onePage((doc, page) -> {
            COSStream inner = form(doc, "0 0 m 100 100 l S");
            for (int level = 1; level < depth; level++) {
                COSStream outer = form(doc, "/F0 Do ".repeat(times));
                outer.setItem(COSName.RESOURCES, xobjects(FORM, inner));
                inner = outer;
            }
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources(xobjects(FORM, inner)));
            return "/F0 Do ".repeat(times);
        });
    }

    /**
     * A Type 3 font whose glyph shows itself: each glyph draws the glyph again, with no end but the stack's
     * ({@code StackOverflowError} in the renderer).
     */
    public static byte[] recursiveType3Glyph() {
        return onePage((doc, page) -> {
            COSDictionary font = new COSDictionary();
            font.setItem(COSName.TYPE, COSName.FONT);
            font.setItem(COSName.SUBTYPE, COSName.TYPE3);
            font.setItem(COSName.FONT_BBOX, numbers(0, 0, 1000, 1000));
            font.setItem(COSName.FONT_MATRIX, numbers(0.001f, 0, 0, 0.001f, 0, 0));
            font.setInt(COSName.FIRST_CHAR, 97);
            font.setInt(COSName.LAST_CHAR, 97);
            font.setItem(COSName.WIDTHS, numbers(1000));
            COSDictionary encoding = new COSDictionary();
            encoding.setItem(COSName.TYPE, COSName.ENCODING);
            COSArray differences = new COSArray();
            differences.add(COSInteger.get(97));
            differences.add(COSName.getPDFName("a"));
            encoding.setItem(COSName.DIFFERENCES, differences);
            font.setItem(COSName.ENCODING, encoding);
            COSStream glyph = stream(doc, "1000 0 d0 BT /T0 1000 Tf 0 0 Td (a) Tj ET");
            COSDictionary procs = new COSDictionary();
            procs.setItem(COSName.getPDFName("a"), glyph);
            font.setItem(COSName.CHAR_PROCS, procs);
            COSDictionary fonts = new COSDictionary();
            fonts.setItem(FONT, font);
            COSDictionary resources = new COSDictionary();
            resources.setItem(COSName.FONT, fonts);
            font.setItem(COSName.RESOURCES, resources);
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources(resources));
            return "BT /T0 12 Tf 100 700 Td (a) Tj ET";
        });
    }

    /**
     * A {@code side} × {@code side} RGB image (within the pixel limit when side² is) drawn through a transform so large
     * that the renderer decodes it at full size: side² × 3 bytes of raster from a few hundred KiB of zeros.
     */
    public static byte[] hugeTransformImage(int side) {
        return onePage((doc, page) -> {
            COSStream image = doc.getDocument().createCOSStream();
            image.setItem(COSName.TYPE, COSName.XOBJECT);
            image.setItem(COSName.SUBTYPE, COSName.IMAGE);
            image.setInt(COSName.WIDTH, side);
            image.setInt(COSName.HEIGHT, side);
            image.setInt(COSName.BITS_PER_COMPONENT, 8);
            image.setItem(COSName.COLORSPACE, COSName.DEVICERGB);
            try (OutputStream out = image.createOutputStream(COSName.FLATE_DECODE)) {
                byte[] row = new byte[side * 3];
                for (int y = 0; y < side; y++) {
                    out.write(row);
                }
            }
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources(xobjects(IMAGE, image)));
            return "q " + side * 100 + " 0 0 " + side * 100 + " 0 0 cm /Im0 Do Q";
        });
    }

    private interface Page {
        /** Fills in the page's resources; answers its content stream. */
        String build(PDDocument doc, PDPage page) throws IOException;
    }

    private static byte[] onePage(Page build) {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            String content = build.build(doc, page);
            page.getCOSObject().setItem(COSName.CONTENTS, stream(doc, content));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static COSStream form(PDDocument doc, String content) throws IOException {
        COSStream form = stream(doc, content);
        form.setItem(COSName.TYPE, COSName.XOBJECT);
        form.setItem(COSName.SUBTYPE, COSName.FORM);
        form.setItem(COSName.BBOX, numbers(0, 0, 600, 800));
        return form;
    }

    private static COSStream stream(PDDocument doc, String content) throws IOException {
        COSStream stream = doc.getDocument().createCOSStream();
        try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(content.getBytes(StandardCharsets.US_ASCII));
        }
        return stream;
    }

    private static COSDictionary xobjects(COSName name, COSStream xobject) {
        COSDictionary xobjects = new COSDictionary();
        xobjects.setItem(name, xobject);
        COSDictionary resources = new COSDictionary();
        resources.setItem(COSName.XOBJECT, xobjects);
        return resources;
    }

    private static COSArray numbers(float... values) {
        COSArray array = new COSArray();
        for (float v : values) {
            array.add(new COSFloat(v));
        }
        return array;
    }
}
