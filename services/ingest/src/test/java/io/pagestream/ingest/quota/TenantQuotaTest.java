package io.pagestream.ingest.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TenantQuotaTest {
    private final InFlightDocuments inFlight = new InFlightDocuments(100);
    private final TenantQuota quota = new TenantQuota(OptionalInt.of(2), inFlight);

    @Test
    void aTenantAtItsLimitWaitsUntilOneOfItsDocumentsEnds() {
        inFlight.accepted("a1", "acme");
        assertEquals(Optional.empty(), quota.refusal("acme"));
        inFlight.accepted("a2", "acme");
        inFlight.accepted("a2", "acme"); // read back after the local commit counted it
        assertEquals(
                Optional.of("tenant acme has 2 documents in flight; the limit is 2: retry once some are done"),
                quota.refusal("acme"));
        assertEquals(Optional.empty(), quota.refusal("globex"), "per tenant");

        inFlight.ended("a1");
        inFlight.ended("a1");
        assertEquals(1, inFlight.of("acme"));
        assertEquals(Optional.empty(), quota.refusal("acme"));
    }

    @Test
    void anEndReadBeforeItsRequestKeepsTheDocumentOutOfTheCount() {
        inFlight.ended("b1");
        inFlight.accepted("b1", "acme");
        assertEquals(0, inFlight.of("acme"));
    }

    @Test
    void withoutALimitNothingWaits() {
        TenantQuota off = new TenantQuota(OptionalInt.empty(), inFlight);
        inFlight.accepted("c1", "acme");
        inFlight.accepted("c2", "acme");
        inFlight.accepted("c3", "acme");
        assertFalse(off.on());
        assertEquals(Optional.empty(), off.refusal("acme"));
    }
}
