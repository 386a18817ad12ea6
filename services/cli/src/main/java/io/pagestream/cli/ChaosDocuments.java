package io.pagestream.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The documents {@code chaos} submits: multi-page TIFFs (the JDK writes them, so no sample files are needed) whose page
 * counts are drawn from a seeded mix of small and larger documents, totalling the pages asked for. Every other
 * document carries one question, so that the answers path runs too.
 */
final class ChaosDocuments {
    /** A document to submit: its file, page count and questions. */
    record Document(Path file, int pages, List<String> questions) {}

    private static final int[] PAGE_COUNTS = {1, 1, 2, 3, 5, 8, 13};

    private ChaosDocuments() {}

    /** Writes the documents for {@code totalPages} pages into {@code dir}, named {@code prefix-N.tiff}. */
    static List<Document> write(Path dir, String prefix, int totalPages, long seed) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Random random = new Random(seed);
        List<Document> documents = new ArrayList<>();
        for (int written = 0; written < totalPages; ) {
            int pages = Math.min(PAGE_COUNTS[random.nextInt(PAGE_COUNTS.length)], totalPages - written);
            int n = documents.size() + 1;
            Path file = dir.resolve(prefix + "-" + n + ".tiff");
            writeTiff(file, prefix + " document " + n, pages);
            List<String> questions = n % 2 == 0 ? List.of("What is the number of document " + n + "?") : List.of();
            documents.add(new Document(file, pages, questions));
            written += pages;
        }
        return List.copyOf(documents);
    }

    private static void writeTiff(Path file, String title, int pages) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int page = 1; page <= pages; page++) {
                writer.writeToSequence(new IIOImage(page(title + ", page " + page + " of " + pages), null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    private static BufferedImage page(String text) {
        BufferedImage image = new BufferedImage(480, 320, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
            g.drawString(text, 20, 60);
            g.drawString("Chaos benchmark input.", 20, 100);
        } finally {
            g.dispose();
        }
        return image;
    }
}
