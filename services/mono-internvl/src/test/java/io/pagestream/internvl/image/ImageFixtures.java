package io.pagestream.internvl.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Reads the golden fixtures written by src/test/python/make_image_fixtures.py (Pillow 9.4). */
final class ImageFixtures {

    private static final String DIR = "/image-fixtures/";
    private static JsonNode root;

    record Crop(String file, int x, int y, int width, int height) {}

    record Case(int width, int height, TileGrid grid, List<Crop> crops, String thumbnail) {
        String name() {
            return width + "x" + height;
        }
    }

    private ImageFixtures() {}

    static synchronized JsonNode root() {
        if (root == null) {
            try (InputStream in = ImageFixtures.class.getResourceAsStream(DIR + "fixtures.json")) {
                if (in == null) {
                    throw new IllegalStateException("fixtures.json missing; run make_image_fixtures.py");
                }
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonNode node : root().get("cases")) {
            List<Crop> crops = new ArrayList<>();
            for (JsonNode crop : node.get("crops")) {
                crops.add(new Crop(
                        crop.get("file").asText(),
                        crop.get("x").asInt(),
                        crop.get("y").asInt(),
                        crop.get("width").asInt(),
                        crop.get("height").asInt()));
            }
            JsonNode thumbnail = node.get("thumbnail");
            cases.add(new Case(
                    node.get("width").asInt(),
                    node.get("height").asInt(),
                    grid(node.get("grid")),
                    crops,
                    thumbnail.isNull() ? null : thumbnail.asText()));
        }
        return cases;
    }

    static Case find(int width, int height) {
        return cases().stream()
                .filter(c -> c.width() == width && c.height() == height)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture case " + width + "x" + height));
    }

    static TileGrid grid(JsonNode pair) {
        return new TileGrid(pair.get(0).asInt(), pair.get(1).asInt());
    }

    static RgbImage png(String file) {
        try (InputStream in = ImageFixtures.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("fixture image missing: " + file);
            }
            BufferedImage image = ImageIO.read(in);
            return BufferedImages.toRgb(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest per-channel difference between the expected crop and the same region of {@code actual}. */
    static int maxDifference(RgbImage expected, RgbImage actual, int left, int top) {
        int max = 0;
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, Math.abs(expected.sample(x, y, c) - actual.sample(left + x, top + y, c)));
                }
            }
        }
        return max;
    }
}
