package io.pagestream.ingest.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.ingest.TestFiles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {

    @Test
    void decidesByContent() {
        assertEquals(DocumentFormat.PDF, FormatDetector.detect(TestFiles.pdf(1, false, false)));
        assertEquals(DocumentFormat.PNG, FormatDetector.detect(TestFiles.png(10, 10)));
        assertEquals(DocumentFormat.JPEG, FormatDetector.detect(TestFiles.jpegWithOrientation(10, 10, 1)));
        assertEquals(DocumentFormat.TIFF, FormatDetector.detect(TestFiles.tiff(1, 10, 10)));
        assertEquals(
                DocumentFormat.WEBP, FormatDetector.detect(TestFiles.resourceBytes("/images/red-blue-lossy.webp")));
        assertEquals(DocumentFormat.GIF, FormatDetector.detect(TestFiles.encode(TestFiles.stripes(10, 10), "gif")));
        assertEquals(DocumentFormat.BMP, FormatDetector.detect(TestFiles.encode(TestFiles.stripes(10, 10), "bmp")));
        assertEquals(DocumentFormat.ZIP, FormatDetector.detect(new byte[] {'P', 'K', 3, 4, 0, 0}));
        assertEquals(DocumentFormat.UNKNOWN, FormatDetector.detect("hello, world".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(DocumentFormat.UNKNOWN, FormatDetector.detect(new byte[0]));
    }

    @Test
    void onlyWhitespaceMayPrecedeThePdfHeader() {
        byte[] pdf = TestFiles.pdf(1, false, false);
        assertEquals(DocumentFormat.PDF, FormatDetector.detect(concat(ascii(" \t\r\n\f"), pdf)));
        assertEquals(DocumentFormat.UNKNOWN, FormatDetector.detect(concat(ascii("junk\n"), pdf)));
        assertEquals(DocumentFormat.UNKNOWN, FormatDetector.detect(concat(new byte[] {0}, pdf)));
    }

    @Test
    void aFileHoldingAPdfHeaderIsWhatItsLeadingBytesSay() {
        byte[] pdf = TestFiles.pdf(1, false, false);
        byte[] gif = TestFiles.encode(TestFiles.stripes(10, 10), "gif");
        record Case(DocumentFormat expected, byte[] file) {}
        for (Case c : List.of(
                new Case(DocumentFormat.ZIP, TestFiles.zipStoring("word/document.pdf", pdf)),
                new Case(DocumentFormat.GIF, concat(Arrays.copyOf(gif, 13), pdf)),
                new Case(
                        DocumentFormat.BMP,
                        concat(Arrays.copyOf(TestFiles.encode(TestFiles.stripes(10, 10), "bmp"), 54), pdf)),
                new Case(DocumentFormat.POSTSCRIPT, concat(ascii("%!PS-Adobe-3.0\n"), pdf)),
                new Case(DocumentFormat.PNG, concat(Arrays.copyOf(TestFiles.png(10, 10), 33), pdf)),
                new Case(DocumentFormat.JPEG, concat(Arrays.copyOf(TestFiles.jpegWithOrientation(10, 10, 1), 20), pdf)),
                new Case(DocumentFormat.TIFF, concat(Arrays.copyOf(TestFiles.tiff(1, 10, 10), 8), pdf)),
                new Case(
                        DocumentFormat.WEBP,
                        concat(Arrays.copyOf(TestFiles.resourceBytes("/images/red-blue-lossy.webp"), 12), pdf)),
                new Case(DocumentFormat.UNKNOWN, concat(ascii("<html><!-- "), pdf)))) {
            assertEquals(
                    c.expected,
                    FormatDetector.detect(Arrays.copyOf(c.file, Math.min(c.file.length, 1024))),
                    c.expected.name());
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
