package io.pagestream.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.DeflaterOutputStream;
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
 * Small files that a renderer inside the service could not survive: most are within every documented limit and kill,
 * hang or exhaust the process that renders it; the rest break a limit only where a guard that looks at every depth and
 * every kind of stream sees it. Generated, so each is a few hundred bytes to a few hundred KiB.
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

    /**
     * An image whose dictionary says 10 × 10 pixels but whose JBIG2 data describes a {@code side} × {@code side} page
     * and region: the decoder allocates side² / 8 bytes of bitmap before it reads a byte of the region's data.
     */
    public static byte[] lyingJbig2Image(int side) {
        return onePage((doc, page) -> {
            ByteBuffer data = ByteBuffer.allocate(64);
            jbig2Segment(data, 0, 48, 19); // page information
            data.putInt(side).putInt(side).putInt(0).putInt(0).put((byte) 0).putShort((short) 0);
            jbig2Segment(data, 1, 38, 18 + 4); // immediate generic region
            data.putInt(side).putInt(side).putInt(0).putInt(0).put((byte) 0);
            data.put((byte) 1); // MMR-coded
            data.putInt(0);
            COSStream image = doc.getDocument().createCOSStream();
            image.setItem(COSName.TYPE, COSName.XOBJECT);
            image.setItem(COSName.SUBTYPE, COSName.IMAGE);
            image.setInt(COSName.WIDTH, 10);
            image.setInt(COSName.HEIGHT, 10);
            image.setInt(COSName.BITS_PER_COMPONENT, 1);
            image.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
            try (OutputStream out = image.createRawOutputStream()) {
                out.write(data.array(), 0, data.position());
            }
            image.setItem(COSName.FILTER, COSName.JBIG2_DECODE);
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources(xobjects(IMAGE, image)));
            return "q 100 0 0 100 0 0 cm /Im0 Do Q";
        });
    }

    /** A segment header of an embedded JBIG2 stream: no referred-to segments, page 1, data of {@code length} bytes. */
    private static void jbig2Segment(ByteBuffer out, int number, int type, int length) {
        out.putInt(number).put((byte) type).put((byte) 0).put((byte) 1).putInt(length);
    }

    /**
     * Forms nested {@code depth} deep, the innermost drawing what {@code inner} gives it (an image, a form): the guard
     * must look at every depth, not stop at 16.
     */
    public static byte[] nestedForms(int depth, Inner inner) {
        return onePage((doc, page) -> {
            COSStream innermost = form(doc, "/F0 Do");
            innermost.setItem(COSName.RESOURCES, inner.resources(doc));
            COSStream outer = innermost;
            for (int level = 1; level < depth; level++) {
                COSStream next = form(doc, "/F0 Do");
                next.setItem(COSName.RESOURCES, xobjects(FORM, outer));
                outer = next;
            }
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources(xobjects(FORM, outer)));
            return "/F0 Do";
        });
    }

    /** What the innermost of {@link #nestedForms} draws as {@code /F0}: its resources. */
    public interface Inner {
        COSDictionary resources(PDDocument doc) throws IOException;
    }

    /** An image declared {@code side} × {@code side} pixels (with no data: the dictionary alone must refuse it). */
    public static Inner imageOfSide(int side) {
        return doc -> {
            COSStream image = doc.getDocument().createCOSStream();
            image.setItem(COSName.TYPE, COSName.XOBJECT);
            image.setItem(COSName.SUBTYPE, COSName.IMAGE);
            image.setInt(COSName.WIDTH, side);
            image.setInt(COSName.HEIGHT, side);
            image.setInt(COSName.BITS_PER_COMPONENT, 8);
            image.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
            return xobjects(FORM, image);
        };
    }

    /** A form whose Flate content inflates to {@code bytes} spaces. */
    public static Inner formInflatingTo(long bytes) {
        return doc -> xobjects(FORM, inflatingTo(bytes, form(doc, "")));
    }

    /** A free-form (type 4) shading, painted with {@code sh}, whose Flate mesh inflates to {@code bytes}. */
    public static byte[] shadingInflatingTo(long bytes) {
        return onePage((doc, page) -> {
            COSStream mesh = inflatingTo(bytes, doc.getDocument().createCOSStream());
            mesh.setInt(COSName.SHADING_TYPE, 4);
            mesh.setItem(COSName.COLORSPACE, COSName.DEVICERGB);
            mesh.setInt(COSName.BITS_PER_COORDINATE, 8);
            mesh.setInt(COSName.BITS_PER_COMPONENT, 8);
            mesh.setInt(COSName.BITS_PER_FLAG, 8);
            mesh.setItem(COSName.DECODE, numbers(0, 600, 0, 800, 0, 1, 0, 1, 0, 1));
            COSDictionary shadings = new COSDictionary();
            shadings.setItem(COSName.getPDFName("Sh0"), mesh);
            COSDictionary resources = new COSDictionary();
            resources.setItem(COSName.SHADING, shadings);
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources(resources));
            return "/Sh0 sh";
        });
    }

    /** A square annotation whose normal appearance, a form, inflates to {@code bytes}. */
    public static byte[] annotationAppearanceInflatingTo(long bytes) {
        return onePage((doc, page) -> {
            COSDictionary appearance = new COSDictionary();
            appearance.setItem(COSName.N, inflatingTo(bytes, form(doc, "")));
            COSDictionary annotation = new COSDictionary();
            annotation.setItem(COSName.TYPE, COSName.ANNOT);
            annotation.setItem(COSName.SUBTYPE, COSName.getPDFName("Square"));
            annotation.setItem(COSName.RECT, numbers(100, 100, 300, 300));
            annotation.setItem(COSName.AP, appearance);
            COSArray annotations = new COSArray();
            annotations.add(annotation);
            page.getCOSObject().setItem(COSName.ANNOTS, annotations);
            return "";
        });
    }

    /** {@code count} save-state operators ({@code q}), never restored: a stack of graphics states as deep as that. */
    public static byte[] saveStates(int count) {
        return onePage((doc, page) -> "q\n".repeat(count));
    }

    /**
     * An inline image ({@code BI … ID … EI}, which no dictionary of the page's resources declares) of {@code side} ×
     * {@code side} RGB pixels: Flate-compressed spaces, hex-encoded so that no byte of it reads as {@code EI}.
     */
    public static byte[] hugeInlineImage(int side) {
        return onePage((doc, page) -> {
            byte[] compressed = deflatedSpaces((long) side * side * 3);
            return "q 500 0 0 500 50 50 cm BI /W " + side + " /H " + side + " /BPC 8 /CS /RGB /F [/AHx /Fl] ID\n"
                    + HexFormat.of().formatHex(compressed) + ">\nEI Q";
        });
    }

    /**
     * {@code pages} pages whose content is one stream of {@code bytes} bytes of drawing: the guard counts a stream once
     * per document, so only the document deadline bounds the time it takes to draw on every page.
     */
    public static byte[] pagesSharingOneContentStream(int pages, int bytes) {
        try (PDDocument doc = new PDDocument()) {
            String line = "0 0 m 1 1 l S\n";
            COSStream content = stream(doc, line.repeat(bytes / line.length()));
            for (int i = 0; i < pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                page.getCOSObject().setItem(COSName.CONTENTS, content);
                doc.addPage(page);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A one-page 8-bit grey TIFF of 1000 × 1000 pixels (within every limit) stored in one tile declared {@code tileWidth}
     * × {@code tileLength} pixels, with a few bytes of data.
     */
    public static byte[] tiffWithTile(long tileWidth, long tileLength) {
        int[][] entries = {
            {256, LONG, 1000},
            {257, LONG, 1000},
            {258, SHORT, 8},
            {259, SHORT, 1},
            {262, SHORT, 1},
            {277, SHORT, 1},
            {322, LONG, (int) tileWidth},
            {323, LONG, (int) tileLength},
            {324, LONG, 0}, // the data's offset, below
            {325, LONG, 1024},
        };
        int dataOffset = 8 + 2 + entries.length * 12 + 4;
        ByteBuffer tiff = ByteBuffer.allocate(dataOffset + 1024).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) entries.length);
        for (int[] entry : entries) {
            tiff.putShort((short) entry[0]).putShort((short) entry[1]).putInt(1);
            int value = entry[0] == 324 ? dataOffset : entry[2];
            if (entry[1] == SHORT) {
                tiff.putShort((short) value).putShort((short) 0);
            } else {
                tiff.putInt(value);
            }
        }
        tiff.putInt(0);
        return tiff.array();
    }

    private static final int SHORT = 3;
    private static final int LONG = 4;

    /** Fills {@code stream} with Flate data that inflates to {@code bytes} spaces. */
    private static COSStream inflatingTo(long bytes, COSStream stream) throws IOException {
        try (OutputStream out = stream.createRawOutputStream()) {
            out.write(deflatedSpaces(bytes));
        }
        stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
        return stream;
    }

    private static byte[] deflatedSpaces(long count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new DeflaterOutputStream(bytes)) {
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (long left = count; left > 0; left -= spaces.length) {
                out.write(spaces, 0, (int) Math.min(left, spaces.length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
