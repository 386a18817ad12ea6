package io.pagestream.ingest.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.ingest.TestFiles;
import java.nio.charset.StandardCharsets;
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
    void pdfHeaderMayFollowLeadingJunk() {
        byte[] pdf = TestFiles.pdf(1, false, false);
        byte[] junk = new byte[300 + pdf.length];
        System.arraycopy(pdf, 0, junk, 300, pdf.length);
        assertEquals(DocumentFormat.PDF, FormatDetector.detect(java.util.Arrays.copyOf(junk, 1024)));
    }
}
