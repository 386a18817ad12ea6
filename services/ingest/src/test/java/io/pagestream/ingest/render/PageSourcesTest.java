package io.pagestream.ingest.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.format.FormatDetector;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format opened from a real file, rendered at the target size, and every guard tripped. */
class PageSourcesTest {
    private static final Limits LIMITS = Limits.defaults().withMaxPages(50).withMaxPixelsPerPage(40_000_000)
            .withMaxDecodedBytesPerPage(32L << 20);

    @TempDir
    Path dir;

    private PageSource open(String name, byte[] data) throws Exception {
        Path file = TestFiles.write(dir, name, data);
        DocumentFormat format = FormatDetector.detect(file);
        return PageSources.open(file, format, LIMITS);
    }

    private Rejected refused(String name, byte[] data) {
        return assertThrows(Rejected.class, () -> {
            try (PageSource s = open(name, data)) {
                for (int i = 0; i < s.pageCount(); i++) {
                    s.render(i);
                }
            }
        });
    }

    @Test
    void pdfWithStandardAndEmbeddedFontsRendersEachPageAtTheTargetSize() throws Exception {
        for (boolean embedded : new boolean[] {false, true}) {
            try (PageSource pdf = open("doc-" + embedded + ".bin", TestFiles.pdf(3, embedded, true))) {
                assertEquals(3, pdf.pageCount());
                BufferedImage page = pdf.render(2);
                assertArrayEquals(TargetSize.forVector(595.27563, 841.8898), new int[] {page.getWidth(), page.getHeight()});
                assertTrue(darkPixels(page) > 2000, "text was drawn (" + embedded + ")");
                EncodedPage encoded = new PageEncoder(0.9f).encode(page);
                assertTrue(encoded.bytes().length < 2_000_000, "small: " + encoded.bytes().length);
            }
        }
    }

    @Test
    void textPageIsGreyPngAndPhotoIsJpeg() throws Exception {
        PageEncoder encoder = new PageEncoder(0.9f);
        try (PageSource pdf = open("text.pdf", TestFiles.pdf(1, true, false))) {
            EncodedPage text = encoder.encode(pdf.render(0));
            assertEquals("image/png", text.mediaType());
            BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(text.bytes()));
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, decoded.getType(), "grey pages are encoded as 8-bit grey");
        }
        BufferedImage photo = Images.scaleToRgb(TestFiles.noise(800, 600, 1), 800, 600);
        assertEquals("image/jpeg", encoder.encode(photo).mediaType());
    }

    @Test
    void multiPageTiff() throws Exception {
        try (PageSource tiff = open("scan.pdf", TestFiles.tiff(3, 1000, 1400))) {
            assertEquals(3, tiff.pageCount());
            BufferedImage p = tiff.render(2);
            assertArrayEquals(TargetSize.forRaster(1000, 1400), new int[] {p.getWidth(), p.getHeight()});
        }
    }

    @Test
    void rasterIsNeverEnlargedAndLargeScansAreShrunk() throws Exception {
        try (PageSource small = open("small.jpg", TestFiles.png(300, 200))) {
            BufferedImage p = small.render(0);
            assertEquals(300, p.getWidth());
            assertEquals(200, p.getHeight());
        }
        try (PageSource big = open("big.png", TestFiles.png(5000, 7000))) {
            BufferedImage p = big.render(0);
            assertArrayEquals(TargetSize.forRaster(5000, 7000), new int[] {p.getWidth(), p.getHeight()});
            assertTrue(p.getHeight() < 7000);
        }
    }

    @Test
    void jpegExifOrientationIsHonoured() throws Exception {
        // Stored landscape, left red / right blue; orientation 6 = rotate 90° clockwise to view: red ends on top.
        try (PageSource jpeg = open("photo.png", TestFiles.jpegWithOrientation(400, 200, 6))) {
            BufferedImage p = jpeg.render(0);
            assertEquals(200, p.getWidth());
            assertEquals(400, p.getHeight());
            assertTrue(isRed(p.getRGB(100, 20)) && isBlue(p.getRGB(100, 380)), "upright after rotation");
        }
        try (PageSource jpeg = open("photo8.jpg", TestFiles.jpegWithOrientation(400, 200, 8))) {
            BufferedImage p = jpeg.render(0);
            assertTrue(isBlue(p.getRGB(100, 20)) && isRed(p.getRGB(100, 380)), "orientation 8: blue on top");
        }
        try (PageSource jpeg = open("photo3.jpg", TestFiles.jpegWithOrientation(400, 200, 3))) {
            BufferedImage p = jpeg.render(0);
            assertEquals(400, p.getWidth());
            assertTrue(isBlue(p.getRGB(20, 100)) && isRed(p.getRGB(380, 100)), "orientation 3: turned 180°");
        }
    }

    @Test
    void webpLosslessAndLossy() throws Exception {
        for (String name : new String[] {"red-blue-lossless.webp", "red-blue-lossy.webp"}) {
            try (PageSource webp = open(name + ".bin", TestFiles.resourceBytes("/images/" + name))) {
                BufferedImage p = webp.render(0);
                assertEquals(120, p.getWidth());
                assertEquals(80, p.getHeight());
                assertTrue(isRed(p.getRGB(10, 40)) && isBlue(p.getRGB(110, 40)), name);
            }
        }
    }

    @Test
    void guards() {
        assertEquals(Reason.ENCRYPTED, refused("e.pdf", TestFiles.encryptedPdf()).reason());
        assertEquals(Reason.CORRUPT_FILE, refused("c.pdf", TestFiles.corruptPdf()).reason());
        assertEquals(Reason.TOO_MANY_PAGES, refused("p.pdf", TestFiles.pdf(51, false, false)).reason());
        assertEquals(Reason.TOO_MANY_PAGES, refused("p.tif", TestFiles.tiff(51, 10, 10)).reason());
        assertEquals(Reason.TOO_MANY_PIXELS, refused("h.pdf", TestFiles.hugePagePdf(100_000)).reason());
        assertEquals(Reason.TOO_MANY_PIXELS, refused("i.pdf", TestFiles.imageBombPdf(50_000, 50_000)).reason());
        assertEquals(Reason.DECOMPRESSION_BOMB, refused("z.pdf", TestFiles.flateBombPdf(40L << 20)).reason());
        assertEquals(Reason.TOO_MANY_PIXELS, refused("d.png", TestFiles.pngDeclaring(100_000, 100_000)).reason());
        assertEquals(Reason.TOO_MANY_PIXELS, refused("b.png", TestFiles.pngBomb(8000, 8000)).reason());
        assertEquals(Reason.CORRUPT_FILE, refused("t.png", java.util.Arrays.copyOf(TestFiles.png(600, 400), 200)).reason());
    }

    private static long darkPixels(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFF) < 100) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean isRed(int rgb) {
        return ((rgb >> 16) & 0xFF) > 150 && (rgb & 0xFF) < 100;
    }

    private static boolean isBlue(int rgb) {
        return (rgb & 0xFF) > 150 && ((rgb >> 16) & 0xFF) < 100;
    }
}
