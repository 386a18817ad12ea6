package io.pagestream.ingest.quota;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code pagestream.ingest.tenants.max-in-flight}: the most documents a tenant may have in flight; a new document
 * beyond it waits (429 with Retry-After). Off (no limit) unless configured. Submissions checked at the same moment on
 * one or several instances may together pass the limit by their number: it bounds a tenant's backlog, it is not a
 * lock.
 */
public record TenantQuota(OptionalInt maxInFlight, InFlightDocuments inFlight) {

    public boolean on() {
        return maxInFlight.isPresent();
    }

    /** Why a new document of {@code tenant} must wait, if it must. */
    public Optional<String> refusal(String tenant) {
        if (maxInFlight.isEmpty()) {
            return Optional.empty();
        }
        int count = inFlight.of(tenant);
        return count < maxInFlight.getAsInt()
                ? Optional.empty()
                : Optional.of("tenant " + tenant + " has " + count + " documents in flight; the limit is "
                        + maxInFlight.getAsInt() + ": retry once some are done");
    }
}
