package io.pagestream.internvl.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TileGridTest {

    private static final ImagePreprocessConfig DEFAULT = ImagePreprocessConfig.MONO_INTERNVL;

    @Test
    void candidateOrderMatchesPythonForEveryMinMax() {
        int checked = 0;
        for (JsonNode entry : ImageFixtures.root().get("candidateOrders")) {
            int min = entry.get("min").asInt();
            int max = entry.get("max").asInt();
            List<TileGrid> expected = new ArrayList<>();
            entry.get("order").forEach(pair -> expected.add(ImageFixtures.grid(pair)));
            assertEquals(expected, CandidateGrids.of(min, max), "candidate order for min=" + min + " max=" + max);
            checked++;
        }
        assertEquals(78, checked, "every 1 <= min <= max <= 12 pair should be in the fixtures");
    }

    @Test
    void chosenGridMatchesPythonAcrossTheSweep() {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (JsonNode sweep : ImageFixtures.root().get("sweeps")) {
            int min = sweep.get("min").asInt();
            int max = sweep.get("max").asInt();
            List<TileGrid> candidates = CandidateGrids.of(min, max);
            for (JsonNode row : sweep.get("sizes")) {
                int w = row.get(0).asInt();
                int h = row.get(1).asInt();
                TileGrid expected = new TileGrid(row.get(2).asInt(), row.get(3).asInt());
                TileGrid actual = TileGrid.choose(w, h, 448, candidates);
                if (!expected.equals(actual)) {
                    mismatches.add(
                            w + "x" + h + " min=" + min + " max=" + max + ": python " + expected + ", java " + actual);
                }
                checked++;
            }
        }
        assertTrue(checked > 5000, "sweep unexpectedly small: " + checked);
        assertTrue(
                mismatches.isEmpty(),
                mismatches.size() + " of " + checked + " grids differ, first: "
                        + mismatches.subList(0, Math.min(10, mismatches.size())));
    }

    @Test
    void imageCasesUseThePythonGrid() {
        for (ImageFixtures.Case c : ImageFixtures.cases()) {
            assertEquals(c.grid(), TileGrid.choose(c.width(), c.height(), DEFAULT), c.name());
        }
    }

    @Test
    void exactSameAspectTiesSwitchOnlyForLargeImages() {
        assertEquals(new TileGrid(2, 1), TileGrid.choose(896, 448, DEFAULT));
        assertEquals(new TileGrid(1, 2), TileGrid.choose(448, 896, DEFAULT));
        assertEquals(new TileGrid(3, 1), TileGrid.choose(1344, 448, DEFAULT));
        assertEquals(new TileGrid(1, 1), TileGrid.choose(448, 448, DEFAULT));
        // 2x2 needs more than half of four tiles' pixels (401408); 634^2 = 401956 is just above it.
        assertEquals(new TileGrid(1, 1), TileGrid.choose(633, 633, DEFAULT));
        assertEquals(new TileGrid(2, 2), TileGrid.choose(634, 634, DEFAULT));
        assertEquals(new TileGrid(3, 3), TileGrid.choose(5000, 5000, DEFAULT));
    }

    @Test
    void tiesBetweenDifferentAspectsDependOnTheSetOrder() {
        // Aspect 5/8 is 0.375 from both 1/4 and 2/2. For min = max = 4 CPython iterates (4,1), (1,4), (2,2).
        List<TileGrid> candidates = CandidateGrids.of(4, 4);
        assertEquals(List.of(new TileGrid(4, 1), new TileGrid(1, 4), new TileGrid(2, 2)), candidates);
        assertEquals(new TileGrid(1, 4), TileGrid.choose(5, 8, 448, candidates));
        assertEquals(new TileGrid(2, 2), TileGrid.choose(600, 960, 448, candidates));
        List<TileGrid> reversed = List.of(new TileGrid(2, 2), new TileGrid(1, 4));
        assertEquals(new TileGrid(2, 2), TileGrid.choose(5, 8, 448, reversed), "order must matter in this case");
    }

    @Test
    void tupleHashMatchesCPython() {
        // Values printed by /usr/bin/python3 (3.11, 64-bit): hash((1, 2)) and friends.
        assertEquals(-3550055125485641917L, PythonSetOrder.tupleHash(1, 2));
        assertEquals(-8458139203682520985L, PythonSetOrder.tupleHash(0, 0));
        assertEquals(-7907666742645488893L, PythonSetOrder.tupleHash(12, 1));
        assertEquals(1079245023883434373L, PythonSetOrder.tupleHash(3, 4));
    }

    @Test
    void badParametersAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessConfig(448, 5, 4, true, 1000));
        assertTrue(e.getMessage().contains("minTiles=5") && e.getMessage().contains("maxTiles=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessConfig(448, 0, 4, true, 1000));
        assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessConfig(0, 1, 4, true, 1000));
        assertThrows(IllegalArgumentException.class, () -> new TileGrid(0, 3));
    }
}
