package io.pagestream.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private final ApiKeys keys = new ApiKeys(Map.of(
            Tenants.DEFAULT,
            List.of("plain-key-0000000000000000", " "),
            "acme",
            List.of("acme-key-1111111111111111", "acme-key-2222222222222222"),
            "globex",
            List.of("globex-key-333333333333333")));

    @Test
    void aKeyNamesItsTenant() {
        assertEquals(Optional.of(Tenants.DEFAULT), keys.tenantOf("plain-key-0000000000000000"));
        assertEquals(Optional.of("acme"), keys.tenantOf("acme-key-2222222222222222"));
        assertEquals(Optional.of("globex"), keys.tenantOf("globex-key-333333333333333"));
    }

    @Test
    void anUnknownOrBlankKeyNamesNone() {
        assertEquals(Optional.empty(), keys.tenantOf("acme-key-1111111111111112"));
        assertEquals(Optional.empty(), keys.tenantOf(" "));
        assertEquals(Optional.empty(), keys.tenantOf(""));
    }
}
