package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each {@code golden/NAME.txt} is a model output; {@code golden/NAME.json} is what the parser must make of it,
 * checked by hand when it was written. {@code -Dgolden.write=true} rewrites the expected files from the parser
 * (into {@code pagestream.golden.dir}, the source folder): review the diff before committing it.
 */
class GoldenFilesTest {
    /** A4 (595.28 × 841.89 pt) rendered at 1000 px wide: 1000/595.28 px per point, 1414 px high. */
    static final PageGeometry A4_1000 = new PageGeometry(1000, 1414, 595.28, 841.89, 1000 / 595.28);
    /** A4 as ingest renders it for the 2 × 3 tile grid: 950 × 1344 px at 1344/841.89 px per point. */
    static final PageGeometry A4_INGEST = new PageGeometry(950, 1344, 595.28, 841.89, 1344 / 841.89);
    /** A scan at 150 dpi, no PDF behind it. */
    static final PageGeometry SCAN = PageGeometry.ofImage(1240, 1754);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("report", Mode.MARKDOWN, A4_1000, 0.92),
                Arguments.of("html-tables", Mode.MARKDOWN, A4_1000, 0.88),
                Arguments.of("formulas", Mode.MARKDOWN, A4_1000, 0.95),
                Arguments.of("lists", Mode.MARKDOWN, SCAN, 0.9),
                Arguments.of("truncated", Mode.MARKDOWN, A4_1000, 0.8),
                Arguments.of("truncated-ref", Mode.MARKDOWN, A4_1000, 0.8),
                Arguments.of("box-out-of-grid", Mode.LAYOUT, A4_1000, 0.9),
                Arguments.of("repetition", Mode.MARKDOWN, A4_1000, 0.6),
                Arguments.of("repetition-inline", Mode.TEXT, SCAN, 0.6),
                Arguments.of("empty", Mode.MARKDOWN, A4_1000, 0.0),
                Arguments.of("text-mode", Mode.TEXT, SCAN, 0.97),
                Arguments.of("layout", Mode.LAYOUT, A4_INGEST, 0.9));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("cases")
    void parsesAsExpected(String name, Mode mode, PageGeometry geometry, double confidence) throws IOException {
        String actual = GoldenJson.print(PageOutputParser.parse(read(name + ".txt"), geometry, mode, confidence));
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(Path.of(System.getProperty("pagestream.golden.dir"), name + ".json"), actual);
        }
        assertEquals(read(name + ".json"), actual, name);
    }

    /** The printer shows a hundredth of a pixel, so a golden file would catch a conversion that drifts by that. */
    @Test
    void printerShowsAHundredthOfAUnit() {
        Placement p = A4_1000.place(new Box(100, 200, 500, 400));
        Placement shifted = new Placement(p.grid(), new Box(100, 282.81, 500, 565.6), p.points());
        assertNotEquals(print(p), print(shifted));
        assertEquals("282.8", GoldenJson.number(p.pixels().y1()));
    }

    private static String print(Placement p) {
        Block b = new Block(0, BlockType.PARAGRAPH, 0, "x", 1, java.util.List.of(p), -1, java.util.Set.of());
        return GoldenJson.print(new ParsedPage("x", java.util.List.of(b), java.util.List.of(), java.util.Set.of()));
    }

    static String read(String resource) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + resource)) {
            if (in == null) {
                throw new IOException("no golden resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
