package io.pagestream.worker.testing;

import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.SourcePage;
import io.pagestream.schema.Task;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;

/** Page records for tests: generated PNG pages with text-like bars, and a corrupt one. */
public final class Pages {
    /** An A4 page (595.28 × 841.89 pt) rendered at 150 dpi, as ingest renders a PDF page. */
    public static final SourcePage A4 = new SourcePage(595.28, 841.89, 150 / 72.0);
    /** Its image: PDFBox floors 1240.17 × 1753.94 px. */
    public static final int A4_WIDTH = 1240;

    public static final int A4_HEIGHT = 1753;

    private Pages() {}

    /** A page of an A4 PDF in {@code mode}, OCR and, with questions, QA; answers grounded when asked. */
    public static PageImage a4(
            String documentId,
            int pageIndex,
            int pageCount,
            byte[] image,
            OcrMode mode,
            List<String> questions,
            boolean groundAnswers) {
        PageImage page = page(documentId, pageIndex, pageCount, image, questions);
        page.setWidth(A4_WIDTH);
        page.setHeight(A4_HEIGHT);
        page.setSourcePage(A4);
        page.setOcrMode(mode);
        page.setGroundAnswers(groundAnswers);
        return page;
    }

    public static PageImage page(
            String documentId, int pageIndex, int pageCount, byte[] image, List<String> questions) {
        return PageImage.newBuilder()
                .setDocumentId(documentId)
                .setPageIndex(pageIndex)
                .setPageCount(pageCount)
                .setImage(ByteBuffer.wrap(image))
                .setMediaType("image/png")
                .setWidth(448)
                .setHeight(448)
                .setTasks(questions.isEmpty() ? List.of(Task.OCR) : List.of(Task.OCR, Task.QA))
                .setQuestions(questions)
                .setSubmittedAt(Instant.parse("2026-11-22T00:00:00Z"))
                .setTraceparent("00-" + "0".repeat(31) + "1-" + "0".repeat(15) + "1-01")
                .build();
    }

    /** A {@code width} × {@code height} PNG: white, with dark bars of a length set by {@code seed}, like lines of text. */
    public static byte[] png(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            int line = y / 24;
            boolean ink = y % 24 >= 6 && y % 24 < 16;
            int length = 40 + (line * 37 + seed * 101) % (width - 60);
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ink && x >= 20 && x < 20 + length ? 0x202020 : 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Bytes that no image decoder recognises. */
    public static byte[] corrupt() {
        byte[] bytes = new byte[512];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
