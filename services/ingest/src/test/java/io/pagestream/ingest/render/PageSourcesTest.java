package io.pagestream.ingest.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.format.FormatDetector;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format opened from a real file, rendered at the target size, and every guard tripped. */
class PageSourcesTest {
    private static final Limits LIMITS =
            Limits.defaults().withMaxPages(50).withMaxPixelsPerPage(40_000_000).withMaxDecodedBytesPerPage(32L << 20);

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
                RenderedPage rendered = pdf.render(2);
                BufferedImage page = rendered.image();
                assertArrayEquals(
                        TargetSize.forVector(595.27563, 841.8898), new int[] {page.getWidth(), page.getHeight()});
                assertTrue(darkPixels(page) > 2000, "text was drawn (" + embedded + ")");
                EncodedPage encoded = new PageEncoder(0.9f).encode(rendered);
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
        assertEquals(
                "image/jpeg",
                encoder.encode(new RenderedPage(photo, new SourceGeometry(800, 600, 1)))
                        .mediaType());
    }

    @Test
    void multiPageTiff() throws Exception {
        try (PageSource tiff = open("scan.pdf", TestFiles.tiff(3, 1000, 1400))) {
            assertEquals(3, tiff.pageCount());
            BufferedImage p = tiff.render(2).image();
            assertArrayEquals(TargetSize.forRaster(1000, 1400), new int[] {p.getWidth(), p.getHeight()});
        }
    }

    @Test
    void rasterIsNeverEnlargedAndLargeScansAreShrunk() throws Exception {
        try (PageSource small = open("small.jpg", TestFiles.png(300, 200))) {
            BufferedImage p = small.render(0).image();
            assertEquals(300, p.getWidth());
            assertEquals(200, p.getHeight());
        }
        try (PageSource big = open("big.png", TestFiles.png(5000, 7000))) {
            BufferedImage p = big.render(0).image();
            assertArrayEquals(TargetSize.forRaster(5000, 7000), new int[] {p.getWidth(), p.getHeight()});
            assertTrue(p.getHeight() < 7000);
        }
    }

    @Test
    void jpegExifOrientationIsHonoured() throws Exception {
        // Stored landscape, left red / right blue; orientation 6 = rotate 90° clockwise to view: red ends on top.
        try (PageSource jpeg = open("photo.png", TestFiles.jpegWithOrientation(400, 200, 6))) {
            BufferedImage p = jpeg.render(0).image();
            assertEquals(200, p.getWidth());
            assertEquals(400, p.getHeight());
            assertTrue(isRed(p.getRGB(100, 20)) && isBlue(p.getRGB(100, 380)), "upright after rotation");
        }
        try (PageSource jpeg = open("photo8.jpg", TestFiles.jpegWithOrientation(400, 200, 8))) {
            BufferedImage p = jpeg.render(0).image();
            assertTrue(isBlue(p.getRGB(100, 20)) && isRed(p.getRGB(100, 380)), "orientation 8: blue on top");
        }
        try (PageSource jpeg = open("photo3.jpg", TestFiles.jpegWithOrientation(400, 200, 3))) {
            BufferedImage p = jpeg.render(0).image();
            assertEquals(400, p.getWidth());
            assertTrue(isBlue(p.getRGB(20, 100)) && isRed(p.getRGB(380, 100)), "orientation 3: turned 180°");
        }
    }

    /**
     * Two 42-byte lossless WebPs the fuzz job found (a chunk of a good one removed): the decoder's bit reader swallows
     * the end of the data and went on decoding zeros for minutes, holding a render slot. Now refused at once.
     */
    @Test
    void aWebPWhoseDataEndsEarlyIsRefusedAtOnce() {
        for (String base64 : new String[] {
            "UklGRi4AAABXRUJQVlA4TCIAAAAv/EcLCLONanD+tJO4R0T/o6oa4KAA",
            "UklGRi4AAABXRUJQVlA4TCIAAAAvd0cLCLONanD+tJO4R0T/o6oa4KAA"
        }) {
            Rejected r = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> refused("cut.webp", Base64.getDecoder().decode(base64)));
            assertEquals(Reason.CORRUPT_FILE, r.reason(), r.getMessage());
        }
    }

    @Test
    void webpLosslessAndLossy() throws Exception {
        for (String name : new String[] {"red-blue-lossless.webp", "red-blue-lossy.webp"}) {
            try (PageSource webp = open(name + ".bin", TestFiles.resourceBytes("/images/" + name))) {
                BufferedImage p = webp.render(0).image();
                assertEquals(120, p.getWidth());
                assertEquals(80, p.getHeight());
                assertTrue(isRed(p.getRGB(10, 40)) && isBlue(p.getRGB(110, 40)), name);
            }
        }
    }

    @Test
    void pdfPagesRecordTheirDisplayedSizeInPointsAndTheScaleTheyWereRenderedAt() throws Exception {
        record Case(String name, byte[] pdf, double width, double height, int pixelWidth, int pixelHeight) {}
        PDRectangle letter = PDRectangle.LETTER;
        for (Case c : List.of(
                // A4 (210 x 297 mm): the 2 x 3 grid, 1344 px high.
                new Case("A4", TestFiles.shapedPdf(PDRectangle.A4, null, 0), 595.2756, 841.8898, 950, 1344),
                // Letter portrait turned by /Rotate 90 shows as landscape: 792 x 612 pt, the 4 x 3 grid; 1792 px wide
                // in exact arithmetic, 1791 as PDFBox rounds down the float product.
                new Case("Letter /Rotate 90", TestFiles.shapedPdf(letter, null, 90), 792, 612, 1791, 1384),
                // Only the crop box shows: 400 x 700 pt of the Letter media box, turned by 270; the 2 x 1 grid.
                new Case(
                        "Letter cropped, /Rotate 270",
                        TestFiles.shapedPdf(letter, new PDRectangle(100, 50, 400, 700), 270),
                        700,
                        400,
                        896,
                        512))) {
            try (PageSource pdf = open(c.name.replaceAll("[^A-Za-z0-9]", "_") + ".pdf", c.pdf)) {
                RenderedPage page = pdf.render(0);
                SourceGeometry source = page.source();
                assertEquals(c.width, source.widthPoints(), 1e-3, c.name);
                assertEquals(c.height, source.heightPoints(), 1e-3, c.name);
                assertEquals(c.pixelWidth, page.image().getWidth(), c.name);
                assertEquals(c.pixelHeight, page.image().getHeight(), c.name);
                assertRoundedDown(
                        source.widthPoints() * source.renderScale(),
                        page.image().getWidth(),
                        c.name);
                assertRoundedDown(
                        source.heightPoints() * source.renderScale(),
                        page.image().getHeight(),
                        c.name);
            }
        }
    }

    @Test
    void rasterPagesRecordTheirPixelsAsPointsAndTheShrinkAsScale() throws Exception {
        try (PageSource small = open("small.png", TestFiles.png(300, 200))) {
            assertEquals(new SourceGeometry(300, 200, 1), small.render(0).source(), "not shrunk: scale 1");
        }
        try (PageSource big = open("big.png", TestFiles.png(5000, 7000))) {
            RenderedPage page = big.render(0);
            assertEquals(5000, page.source().widthPoints());
            assertEquals(7000, page.source().heightPoints());
            assertEquals(page.image().getWidth() / 5000.0, page.source().renderScale(), 1e-12);
            assertTrue(page.source().renderScale() < 0.5, "shrunk: " + page.source());
            assertEquals(7000 * page.source().renderScale(), page.image().getHeight(), 1.0);
        }
        // Stored 400 x 200, shown upright as 200 x 400 (EXIF orientation 6): the points are the upright pixels.
        try (PageSource jpeg = open("photo.jpg", TestFiles.jpegWithOrientation(400, 200, 6))) {
            assertEquals(new SourceGeometry(200, 400, 1), jpeg.render(0).source());
        }
        try (PageSource tiff = open("scan.tif", TestFiles.tiff(2, 6000, 3000))) {
            RenderedPage second = tiff.render(1);
            assertEquals(6000, second.source().widthPoints());
            assertEquals(3000, second.source().heightPoints());
            assertEquals(second.image().getWidth() / 6000.0, second.source().renderScale(), 1e-12);
        }
    }

    @Test
    void aPdfIsWhatItsPageTreeHoldsWhateverItsCountSays() throws Exception {
        record Case(String name, int rootCount, boolean nested) {}
        for (Case c : List.of(
                new Case("count-above-the-limit", 5000, false),
                new Case("count-too-small", 1, false),
                new Case("inner-count-too-small", 3, true))) {
            try (PageSource pdf = open(c.name + ".pdf", TestFiles.lyingPageCountPdf(c.rootCount, c.nested))) {
                assertEquals(3, pdf.pageCount(), c.name);
                List<Double> widths = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    widths.add(pdf.render(i).source().widthPoints());
                }
                assertEquals(List.of(300.0, 400.0, 500.0), widths, c.name + ": every page, in order");
            }
        }
    }

    /** {@code pixels} is {@code exact} rounded down, allowing for the float arithmetic renderers use. */
    private static void assertRoundedDown(double exact, int pixels, String what) {
        assertTrue(exact - pixels > -1e-3 && exact - pixels < 1 + 1e-3, what + ": " + pixels + " px for " + exact);
    }

    @Test
    void guards() {
        assertEquals(
                Reason.ENCRYPTED, refused("e.pdf", TestFiles.encryptedPdf()).reason());
        assertEquals(
                Reason.CORRUPT_FILE, refused("c.pdf", TestFiles.corruptPdf()).reason());
        assertEquals(
                Reason.TOO_MANY_PAGES,
                refused("p.pdf", TestFiles.pdf(51, false, false)).reason());
        assertEquals(
                Reason.TOO_MANY_PAGES,
                refused("p.tif", TestFiles.tiff(51, 10, 10)).reason());
        assertEquals(
                Reason.TOO_MANY_PIXELS,
                refused("h.pdf", TestFiles.hugePagePdf(100_000)).reason());
        assertEquals(
                Reason.TOO_MANY_PIXELS,
                refused("i.pdf", TestFiles.imageBombPdf(50_000, 50_000)).reason());
        assertEquals(
                Reason.DECOMPRESSION_BOMB,
                refused("z.pdf", TestFiles.flateBombPdf(40L << 20)).reason());
        assertEquals(
                Reason.TOO_MANY_PIXELS,
                refused("d.png", TestFiles.pngDeclaring(100_000, 100_000)).reason());
        assertEquals(
                Reason.TOO_MANY_PIXELS,
                refused("b.png", TestFiles.pngBomb(8000, 8000)).reason());
        assertEquals(
                Reason.CORRUPT_FILE,
                refused("t.png", java.util.Arrays.copyOf(TestFiles.png(600, 400), 200))
                        .reason());
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
