package io.pagestream.ingest;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** Files the tests need, generated: good PDFs and images of every format, and every kind of bad input. */
public final class TestFiles {
    private TestFiles() {}

    /** A text PDF: page n says "Page n"; fonts embedded (Liberation Sans from PDFBox) or not (Helvetica, standard 14). */
    public static byte[] pdf(int pages, boolean embeddedFont, boolean withImages) {
        try (PDDocument doc = new PDDocument()) {
            PDFont font = embeddedFont
                    ? PDType0Font.load(doc, resource("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf"))
                    : new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDImageXObject photo = withImages ? JPEGFactory.createFromImage(doc, noise(400, 300, 7), 0.8f) : null;
            PDImageXObject chart = withImages ? LosslessFactory.createFromImage(doc, stripes(300, 200)) : null;
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 28);
                    cs.newLineAtOffset(72, 760);
                    cs.showText("Page " + i);
                    cs.setFont(font, 11);
                    for (int line = 0; line < 30; line++) {
                        cs.newLineAtOffset(0, -16);
                        cs.showText("Line " + line + ": the quick brown fox jumps over the lazy dog 0123456789.");
                    }
                    cs.endText();
                    if (withImages) {
                        cs.drawImage(photo, 72, 72, 200, 150);
                        cs.drawImage(chart, 320, 72, 200, 133);
                    }
                }
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One page with a media box, an optional crop box (null: the media box) and a /Rotate value, its text written along
     * the media box's edges so a wrong crop or turn shows.
     */
    public static byte[] shapedPdf(PDRectangle media, PDRectangle crop, int rotation) {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(media);
            if (crop != null) {
                page.setCropBox(crop);
            }
            page.setRotation(rotation);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 18);
                cs.newLineAtOffset(20, 20);
                cs.showText("bottom left of " + media.getWidth() + " x " + media.getHeight());
                cs.endText();
                cs.addRect(10, 10, media.getWidth() - 20, media.getHeight() - 20);
                cs.stroke();
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PDF that needs the password "secret" to open. */
    public static byte[] encryptedPdf() {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(PDRectangle.A4));
            StandardProtectionPolicy policy =
                    new StandardProtectionPolicy("owner-secret", "secret", new AccessPermission());
            policy.setEncryptionKeyLength(256);
            doc.protect(policy);
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One page of {@code side} × {@code side} points. */
    public static byte[] hugePagePdf(float side) {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(new PDRectangle(side, side)));
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page drawing one image XObject that declares width × height grey pixels (its data a few zero bytes). */
    public static byte[] imageBombPdf(int width, int height) {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            COSStream image = doc.getDocument().createCOSStream();
            image.setItem(COSName.TYPE, COSName.XOBJECT);
            image.setItem(COSName.SUBTYPE, COSName.IMAGE);
            image.setInt(COSName.WIDTH, width);
            image.setInt(COSName.HEIGHT, height);
            image.setInt(COSName.BITS_PER_COMPONENT, 8);
            image.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
            try (OutputStream out = image.createOutputStream(COSName.FLATE_DECODE)) {
                out.write(new byte[4096]);
            }
            PDResources resources = new PDResources();
            resources.getCOSObject().setItem(COSName.XOBJECT, new org.apache.pdfbox.cos.COSDictionary());
            resources.getCOSObject().getCOSDictionary(COSName.XOBJECT).setItem(COSName.getPDFName("Im1"), image);
            page.setResources(resources);
            PDStream contents = new PDStream(doc);
            try (OutputStream out = contents.createOutputStream(COSName.FLATE_DECODE)) {
                out.write("q 500 0 0 700 50 50 cm /Im1 Do Q".getBytes(StandardCharsets.US_ASCII));
            }
            page.setContents(contents);
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page whose Flate content stream inflates to {@code inflatedBytes} (spaces: a valid, pointless stream). */
    public static byte[] flateBombPdf(long inflatedBytes) {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDStream contents = new PDStream(doc);
            try (OutputStream out = contents.createOutputStream(COSName.FLATE_DECODE)) {
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (long written = 0; written < inflatedBytes; written += spaces.length) {
                    out.write(spaces);
                }
            }
            page.setContents(contents);
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "%PDF-1.7" followed by noise. */
    public static byte[] corruptPdf() {
        byte[] noise = new byte[20_000];
        new Random(42).nextBytes(noise);
        byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(head.length + noise.length).put(head).put(noise);
        return b.array();
    }

    public static byte[] png(int width, int height) {
        return encode(stripes(width, height), "png");
    }

    /** A PNG whose header declares width × height 8-bit grey pixels but whose data is only a few bytes. */
    public static byte[] pngDeclaring(int width, int height) {
        return pngChunks(width, height, deflate(new byte[1024]));
    }

    /** A real PNG of width × height black grey pixels: tiny on disk, width × height bytes once decoded. */
    public static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(9))) {
            byte[] row = new byte[width + 1];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pngChunks(width, height, raw.toByteArray());
    }

    private static byte[] pngChunks(int width, int height, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) 8)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raw.toByteArray();
    }

    /** A JPEG of a landscape image, left half red and right half blue, with an EXIF orientation tag. */
    public static byte[] jpegWithOrientation(int width, int height, int orientation) {
        byte[] jpeg = encode(halves(width, height), "jpeg");
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = ByteBuffer.allocate(6 + tiff.capacity())
                .put("Exif\0\0".getBytes(StandardCharsets.US_ASCII))
                .put(tiff.array())
                .array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.writeBytes(
                ByteBuffer.allocate(2).putShort((short) (exif.length + 2)).array());
        out.writeBytes(exif);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A multi-page TIFF; page n is n stripes wide so pages differ. */
    public static byte[] tiff(int pages, int width, int height) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageWriter writer = new TIFFImageWriterSpi().createWriterInstance();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < pages; i++) {
                    writer.writeToSequence(new IIOImage(stripes(width, height), null, null), null);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static BufferedImage halves(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(220, 20, 20));
        g.fillRect(0, 0, width / 2, height);
        g.setColor(new Color(20, 20, 220));
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return img;
    }

    public static BufferedImage stripes(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(30, 60, 160));
        for (int x = 0; x < width; x += 24) {
            g.fillRect(x, 0, 8, height);
        }
        g.setColor(Color.BLACK);
        for (int y = 0; y < height; y += 40) {
            g.drawLine(0, y, width, y);
        }
        g.dispose();
        return img;
    }

    public static BufferedImage noise(int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Three pages, 300, 400 and 500 pt wide (600 pt high), whose page tree lies about its size: the root's /Count is
     * {@code rootCount}; with {@code nested}, the first two pages sit under an intermediate node whose /Count says 1 (and from which the
     * second page inherits its media box).
     */
    public static byte[] lyingPageCountPdf(int rootCount, boolean nested) {
        try (PDDocument doc = new PDDocument()) {
            for (int width : new int[] {300, 400, 500}) {
                doc.addPage(new PDPage(new PDRectangle(width, 600)));
            }
            COSDictionary root = doc.getPages().getCOSObject();
            COSDictionary first = doc.getPage(0).getCOSObject();
            COSDictionary second = doc.getPage(1).getCOSObject();
            COSDictionary third = doc.getPage(2).getCOSObject();
            if (nested) {
                COSDictionary inner = new COSDictionary();
                inner.setItem(COSName.TYPE, COSName.PAGES);
                inner.setItem(COSName.KIDS, new COSArray(List.of(first, second)));
                inner.setInt(COSName.COUNT, 1);
                inner.setItem(COSName.PARENT, root);
                // The second page inherits its size from the intermediate node.
                inner.setItem(COSName.MEDIA_BOX, second.getDictionaryObject(COSName.MEDIA_BOX));
                second.removeItem(COSName.MEDIA_BOX);
                first.setItem(COSName.PARENT, inner);
                second.setItem(COSName.PARENT, inner);
                root.setItem(COSName.KIDS, new COSArray(List.of(inner, third)));
            }
            root.setInt(COSName.COUNT, rootCount);
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ZIP archive (an Office file is one) holding {@code data} uncompressed, so its bytes show near the start. */
    public static byte[] zipStoring(String entryName, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry entry = new ZipEntry(entryName);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCrc(crc.getValue());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(entry);
            zip.write(data);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] resourceBytes(String name) {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path dir, String name, byte[] data) {
        try {
            return Files.write(dir.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = TestFiles.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing resource " + name);
        }
        return in;
    }

    private static byte[] save(PDDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }
}
