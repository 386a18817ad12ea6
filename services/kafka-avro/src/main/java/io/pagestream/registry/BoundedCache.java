package io.pagestream.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small thread-safe LRU map: schemas and ids never change once registered, so entries never go stale. */
final class BoundedCache<K, V> {
    private final Map<K, V> entries;

    BoundedCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Computes outside the lock, so a slow registry call never blocks readers of other keys. */
    V get(K key, Function<K, V> load) {
        synchronized (entries) {
            V hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
        }
        V loaded = load.apply(key);
        put(key, loaded);
        return loaded;
    }

    void put(K key, V value) {
        synchronized (entries) {
            entries.put(key, value);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
