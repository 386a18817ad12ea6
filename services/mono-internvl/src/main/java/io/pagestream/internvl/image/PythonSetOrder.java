package io.pagestream.internvl.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The iteration order CPython (3.8 and later) gives a {@code set} of 2-tuples of small non-negative ints, built by
 * adding the tuples one by one. Upstream's tiling sorts such a set by area with a stable sort, so within equal area
 * this order decides exact ties, and it is deterministic because int and tuple hashes are not randomised.
 *
 * <p>The model: the tuple hash is CPython's xxHash-style combination of the item hashes (a small int hashes to
 * itself); the table starts with 8 slots, probes up to 9 slots past the home slot linearly and then jumps by
 * {@code i = 5i + 1 + perturb} with {@code perturb} shifted right 5 bits each time, and grows to the smallest power of
 * two above 4 x used once fill reaches 3/5 of the mask, re-inserting in old slot order. Iteration is slot order.
 * TileGridTest checks the result against python3's actual order for every (min, max) in 1..12.
 */
final class PythonSetOrder {

    private static final long XX_PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long XX_PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long XX_PRIME_5 = 0x27D4EB2F165667C5L;
    private static final long LENGTH_SALT = 3527539L;
    private static final int LINEAR_PROBES = 9;
    private static final int PERTURB_SHIFT = 5;
    private static final int MIN_SLOTS = 8;

    private int[][] slots = new int[MIN_SLOTS][];
    private int fill;

    private PythonSetOrder() {}

    /** Distinct pairs in the order {@code iter(set(pairs))} yields them; pairs are {@code int[2]}, duplicates ok. */
    static List<int[]> of(List<int[]> pairs) {
        PythonSetOrder set = new PythonSetOrder();
        for (int[] pair : pairs) {
            if (pair[0] < 0 || pair[1] < 0) {
                throw new IllegalArgumentException(
                        "only non-negative pairs are modelled, got " + pair[0] + "," + pair[1]);
            }
            set.add(pair);
        }
        List<int[]> order = new ArrayList<>(set.fill);
        for (int[] slot : set.slots) {
            if (slot != null) {
                order.add(slot);
            }
        }
        return order;
    }

    static long tupleHash(int first, int second) {
        long acc = XX_PRIME_5;
        for (long lane : new long[] {first, second}) {
            acc += lane * XX_PRIME_2;
            acc = Long.rotateLeft(acc, 31);
            acc *= XX_PRIME_1;
        }
        acc += 2 ^ (XX_PRIME_5 ^ LENGTH_SALT);
        return acc == -1L ? 1546275796L : acc;
    }

    private void add(int[] pair) {
        long hash = tupleHash(pair[0], pair[1]);
        int mask = slots.length - 1;
        long perturb = hash;
        long home = hash & mask;
        while (true) {
            int probes = home + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
            for (int k = 0; k <= probes; k++) {
                int[] slot = slots[(int) home + k];
                if (slot == null) {
                    slots[(int) home + k] = pair;
                    fill++;
                    if ((long) fill * 5 >= (long) mask * 3) {
                        resize(fill > 50_000 ? fill * 2 : fill * 4);
                    }
                    return;
                }
                if (slot[0] == pair[0] && slot[1] == pair[1]) {
                    return;
                }
            }
            perturb >>>= PERTURB_SHIFT;
            home = (home * 5 + 1 + perturb) & mask;
        }
    }

    private void resize(int minUsed) {
        int size = MIN_SLOTS;
        while (size <= minUsed) {
            size <<= 1;
        }
        int[][] old = slots;
        slots = new int[size][];
        for (int[] pair : old) {
            if (pair != null) {
                insertClean(pair);
            }
        }
    }

    private void insertClean(int[] pair) {
        int mask = slots.length - 1;
        long hash = tupleHash(pair[0], pair[1]);
        long perturb = hash;
        long home = hash & mask;
        while (true) {
            int probes = home + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
            for (int k = 0; k <= probes; k++) {
                if (slots[(int) home + k] == null) {
                    slots[(int) home + k] = pair;
                    return;
                }
            }
            perturb >>>= PERTURB_SHIFT;
            home = (home * 5 + 1 + perturb) & mask;
        }
    }
}
