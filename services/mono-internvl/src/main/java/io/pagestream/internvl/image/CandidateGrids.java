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
 *
 * <p>How the order was found: running upstream's expression, {@code sorted(set((i, j) for n in range(1, 13) for i in
 * range(1, n + 1) for j in range(1, n + 1) if 1 <= i * j <= 12), key=lambda x: x[0] * x[1])}, under CPython 3.11.2
 * (/usr/bin/python3) and 3.11.7 (pyenv) gave the same list: (1,1) (1,2) (2,1) (3,1) (1,3) (2,2) (4,1) (1,4) (5,1)
 * (1,5) (1,6) (6,1) (3,2) (2,3) (7,1) (1,7) (4,2) (2,4) (1,8) (8,1) (1,9) (3,3) (9,1) (2,5) (5,2) (10,1) (1,10)
 * (11,1) (1,11) (12,1) (3,4) (4,3) (1,12) (6,2) (2,6). Other ranges differ (min = max = 4 gives (4,1) (1,4) (2,2)),
 * which is why the set is modelled rather than one list hard-coded. make_image_fixtures.py records all 78 lists.
 */
final class CandidateGrids {

    private CandidateGrids() {}

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
