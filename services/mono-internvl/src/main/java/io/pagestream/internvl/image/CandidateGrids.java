package io.pagestream.internvl.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Upstream's candidate list: every (columns, rows) with min <= columns x rows <= max, sorted by area.
 *
 * <p>Upstream builds a Python set from a generator and sorts it stably by area, so within equal area the order is the
 * set's iteration order. That order decides exact ties between different aspects (for example min = max = 4 with an
 * aspect of 5/8, equally far from 1/4 and 1/1). Rather than only testing that the chosen grid happens to agree, the
 * set's order is reproduced by {@link PythonSetOrder}, fed the tuples in the generator's order, so any (min, max)
 * matches; TileGridTest compares it with python3's lists for all 1 <= min <= max <= 12.
 */
final class CandidateGrids {

    private CandidateGrids() {
    }

    static List<TileGrid> of(int minTiles, int maxTiles) {
        if (minTiles < 1 || maxTiles < minTiles) {
            throw new IllegalArgumentException("need 1 <= minTiles <= maxTiles, got " + minTiles + ", " + maxTiles);
        }
        List<int[]> generated = new ArrayList<>();
        for (int n = minTiles; n <= maxTiles; n++) {
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    if (i * j >= minTiles && i * j <= maxTiles) {
                        generated.add(new int[] {i, j});
                    }
                }
            }
        }
        return PythonSetOrder.of(generated).stream()
                .map(pair -> new TileGrid(pair[0], pair[1]))
                .sorted(Comparator.comparingInt(TileGrid::tiles))
                .toList();
    }
}
