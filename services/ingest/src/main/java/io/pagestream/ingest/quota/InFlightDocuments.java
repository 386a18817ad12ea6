package io.pagestream.ingest.quota;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each tenant's documents in flight: accepted (read from {@code documents.requests}, or just committed here) and not
 * yet ended (a COMPLETED, INCOMPLETE or DELETED event on {@code documents.status}, or a deletion). The two
 * topics are read side by side, so an end may be read before its document's request: ended ids are remembered (the
 * latest {@code capacity}) and a request read after its end is not counted (nor, therefore, a document submitted
 * again under the id of one deleted or ended: the limit errs on the lenient side).
 */
public final class InFlightDocuments {
    private final Map<String, String> open = new HashMap<>();
    private final Map<String, Integer> perTenant = new HashMap<>();
    private final Map<String, Boolean> ended;

    public InFlightDocuments(int capacity) {
        this.ended = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void accepted(String documentId, String tenant) {
        if (!ended.containsKey(documentId) && open.putIfAbsent(documentId, tenant) == null) {
            perTenant.merge(tenant, 1, Integer::sum);
        }
    }

    public synchronized void ended(String documentId) {
        ended.put(documentId, Boolean.TRUE);
        String tenant = open.remove(documentId);
        if (tenant != null) {
            perTenant.computeIfPresent(tenant, (t, n) -> n > 1 ? n - 1 : null);
        }
    }

    public synchronized int of(String tenant) {
        return perTenant.getOrDefault(tenant, 0);
    }
}
