package io.pagestream.internvl.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PillowResizeTest {

    /** Pillow's integer pipeline is reproduced exactly, so any difference is a bug, not rounding noise. */
    private static final int TOLERANCE = 0;

    @Test
    void matchesPillowOnEveryFixtureCase() {
        Map<String, Integer> differences = new LinkedHashMap<>();
        for (ImageFixtures.Case c : ImageFixtures.cases()) {
            RgbImage source = SyntheticImage.of(c.width(), c.height());
            RgbImage resized = PillowResize.bicubic(
                    source, 448 * c.grid().columns(), 448 * c.grid().rows());
            int max = 0;
            for (ImageFixtures.Crop crop : c.crops()) {
                RgbImage expected = ImageFixtures.png(crop.file());
                assertEquals(crop.width(), expected.width(), crop.file());
                max = Math.max(max, ImageFixtures.maxDifference(expected, resized, crop.x(), crop.y()));
            }
            differences.put(c.name() + " resize", max);
            if (c.thumbnail() != null) {
                RgbImage thumbnail = PillowResize.bicubic(source, 448, 448);
                differences.put(
                        c.name() + " thumbnail",
                        ImageFixtures.maxDifference(ImageFixtures.png(c.thumbnail()), thumbnail, 0, 0));
            }
        }
        System.out.println("max |java - pillow| per case: " + differences);
        int worst =
                differences.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(worst <= TOLERANCE, "max difference " + worst + "/255 exceeds " + TOLERANCE + ": " + differences);
    }

    @Test
    void sameSizeIsACopy() {
        RgbImage source = SyntheticImage.of(31, 17);
        RgbImage copy = PillowResize.bicubic(source, 31, 17);
        assertNotSame(source.pixels(), copy.pixels());
        assertArrayEquals(source.pixels(), copy.pixels());
    }

    @Test
    void widthOnlyResizeKeepsRowsApart() {
        // Only the width changes, so every row is resampled on its own and rows never mix.
        RgbImage source = SyntheticImage.of(40, 33);
        RgbImage wider = PillowResize.bicubic(source, 97, 33);
        for (int y = 0; y < 33; y++) {
            RgbImage row = new RgbImage(40, 1, Arrays.copyOfRange(source.pixels(), 3 * 40 * y, 3 * 40 * (y + 1)));
            RgbImage expected = PillowResize.bicubic(row, 97, 1);
            assertEquals(0, ImageFixtures.maxDifference(expected, wider, 0, y), "row " + y);
        }
    }

    @Test
    void constantImagesStayConstant() {
        RgbImage flat = RgbImage.blank(123, 77);
        for (int i = 0; i < flat.pixels().length; i += 3) {
            flat.pixels()[i] = (byte) 200;
            flat.pixels()[i + 1] = 7;
            flat.pixels()[i + 2] = (byte) 255;
        }
        for (int[] size : new int[][] {{448, 448}, {5, 3}, {1, 1}, {1000, 2}}) {
            RgbImage out = PillowResize.bicubic(flat, size[0], size[1]);
            for (int i = 0; i < out.pixels().length; i += 3) {
                assertEquals(200, out.pixels()[i] & 0xFF);
                assertEquals(7, out.pixels()[i + 1] & 0xFF);
                assertEquals(255, out.pixels()[i + 2] & 0xFF);
            }
        }
    }

    @Test
    void overshootIsClampedNotWrapped() {
        // A black/white step makes the cubic's negative lobes overshoot past 0 and 255 when enlarging.
        RgbImage step = RgbImage.blank(4, 1);
        Arrays.fill(step.pixels(), 6, 12, (byte) 255);
        RgbImage out = PillowResize.bicubic(step, 16, 1);
        assertEquals(0, out.sample(0, 0, 0));
        assertEquals(255, out.sample(15, 0, 0));
        for (int x = 1; x < 16; x++) {
            assertTrue(out.sample(x, 0, 0) >= out.sample(x - 1, 0, 0), "monotone after clamping at " + x);
        }
    }

    @Test
    void badSizesAreRejected() {
        RgbImage source = SyntheticImage.of(4, 4);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PillowResize.bicubic(source, 0, 5));
        assertTrue(e.getMessage().contains("0x5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PillowResize.bicubic(RgbImage.blank(0, 3), 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
    }
}
