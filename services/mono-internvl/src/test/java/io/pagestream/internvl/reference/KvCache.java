package io.pagestream.internvl.reference;

import java.util.ArrayList;
import java.util.List;

/** One layer's cached keys (after RoPE) and values, one {@code [kvHeads · headDim]} array per position. */
final class KvCache {
    private final List<float[]> keys = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();

    int length() {
        return keys.size();
    }

    void append(float[] key, float[] value) {
        keys.add(key);
        values.add(value);
    }

    float[] key(int position) {
        return keys.get(position);
    }

    float[] value(int position) {
        return values.get(position);
    }
}
