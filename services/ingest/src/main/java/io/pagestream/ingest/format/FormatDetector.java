package io.pagestream.ingest.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decides a file's type from its leading magic bytes, never from its name nor from bytes further in. A PDF must begin
 * with {@code %PDF-}, after nothing but whitespace (space, tab, CR, LF, form feed) within the first 1 KiB. Readers
 * tolerate any junk before the header, but then an image, a ZIP or an Office file that holds {@code %PDF-} near its
 * start would be parsed as a PDF: a polyglot is what its first bytes say it is.
 */
public final class FormatDetector {
    static final int PDF_HEADER_WINDOW = 1024;
    private static final byte[] PDF = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private FormatDetector() {}

    public static DocumentFormat detect(Path file) throws IOException {
        byte[] head = new byte[PDF_HEADER_WINDOW];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return detect(Arrays.copyOf(head, n));
    }

    public static DocumentFormat detect(byte[] head) {
        if (startsWith(head, PNG)) {
            return DocumentFormat.PNG;
        }
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return DocumentFormat.JPEG;
        }
        if (head.length >= 4
                && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                        || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)))) {
            return DocumentFormat.TIFF; // classic (42) and BigTIFF (43), both byte orders
        }
        if (head.length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
            return DocumentFormat.WEBP;
        }
        if (startsAfterWhitespace(head, PDF)) {
            return DocumentFormat.PDF;
        }
        if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) {
            return DocumentFormat.GIF;
        }
        if (ascii(head, 0, "BM") && head.length >= 14) {
            return DocumentFormat.BMP;
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return DocumentFormat.ZIP;
        }
        if (ascii(head, 0, "%!PS")) {
            return DocumentFormat.POSTSCRIPT;
        }
        return DocumentFormat.UNKNOWN;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean ascii(byte[] data, int offset, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        return data.length >= offset + t.length && Arrays.equals(data, offset, offset + t.length, t, 0, t.length);
    }

    private static boolean startsAfterWhitespace(byte[] data, byte[] prefix) {
        int i = 0;
        while (i < data.length && isWhitespace(data[i])) {
            i++;
        }
        return data.length >= i + prefix.length && Arrays.equals(data, i, i + prefix.length, prefix, 0, prefix.length);
    }

    /** PDF's white-space characters less NUL, which binary formats are full of. */
    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f';
    }
}
