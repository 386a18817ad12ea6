package io.pagestream.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialPolicyTest {
    private static final String KEY = "3f9c1e7a5b2d4c6e8f0a1b2c3d4e5f60";
    private static final Optional<String> SECRET = Optional.of("b7e2c9d4a1f6e3b8c5d2a9f6e3b0c7d4");
    private static final ApiKeys NO_KEYS = new ApiKeys(Map.of());

    /** Keys of the default tenant, as {@code pagestream.ingest.auth.api-keys} gives them. */
    private static ApiKeys plain(String... keys) {
        return new ApiKeys(Map.of(Tenants.DEFAULT, List.of(keys)));
    }

    @Test
    void authOffNeedsNothing() {
        assertEquals(List.of(), CredentialPolicy.problems(false, NO_KEYS, false, Optional.empty()));
    }

    @Test
    void realKeysOrAJwtKeyWithASecretPass() {
        assertEquals(List.of(), CredentialPolicy.problems(true, plain(KEY), false, SECRET));
        assertEquals(List.of(), CredentialPolicy.problems(true, NO_KEYS, true, SECRET));
    }

    @Test
    void noWayInIsRefused() {
        assertEquals(
                List.of("no credentials: set pagestream.ingest.auth.api-keys (PAGESTREAM_INGEST_AUTH_API_KEYS), "
                        + "pagestream.ingest.auth.tenants.\"<tenant>\".api-keys or a JWT verification key "
                        + "(MP_JWT_VERIFY_PUBLICKEY_LOCATION)"),
                CredentialPolicy.problems(true, plain(" "), false, SECRET));
    }

    @Test
    void placeholdersAndShortKeysAreRefusedWithoutBeingRepeated() {
        List<String> problems = CredentialPolicy.problems(
                true,
                plain("change-me-1", KEY, "Change-Me-Please-0123456789abcdef", "s3cr3t"),
                false,
                Optional.of("my-id-secret"));
        assertEquals(
                List.of(
                        "pagestream.ingest.auth.api-keys: key 1 is a placeholder (contains \"change-me\")",
                        "pagestream.ingest.auth.api-keys: key 3 is a placeholder (contains \"change-me\")",
                        "pagestream.ingest.auth.api-keys: key 4 has 6 characters; at least 24 are required",
                        "pagestream.ingest.id-secret has 12 characters; at least 24 are required"),
                problems);
    }

    @Test
    void aMissingIdSecretIsRefused() {
        assertEquals(
                List.of("pagestream.ingest.id-secret (PAGESTREAM_INGEST_ID_SECRET) is not set: with authentication on,"
                        + " ids derived from idempotency keys need a secret nobody else knows"),
                CredentialPolicy.problems(true, plain(KEY), false, Optional.empty()));
    }

    @Test
    void tenantKeysAreCheckedLikePlainOnesAndBelongToOneTenant() {
        String other = "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a";
        assertEquals(
                List.of(),
                CredentialPolicy.problems(
                        true, new ApiKeys(Map.of("acme", List.of(KEY), "globex", List.of(other))), false, SECRET));
        assertEquals(
                List.of(
                        "pagestream.ingest.auth.tenants.\"acme\".api-keys: key 2 has 5 characters; at least 24 are "
                                + "required",
                        "pagestream.ingest.auth.tenants.\"b c\": a tenant name is " + Tenants.NAME_RULE,
                        "pagestream.ingest.auth.tenants.\"b c\".api-keys: key 1 is also a key of tenant acme (a key "
                                + "belongs to one tenant)"),
                CredentialPolicy.problems(
                        true, new ApiKeys(Map.of("acme", List.of(KEY, "short"), "b c", List.of(KEY))), false, SECRET));
    }
}
