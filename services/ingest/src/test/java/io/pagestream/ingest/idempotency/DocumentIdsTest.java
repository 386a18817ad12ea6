package io.pagestream.ingest.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.auth.Tenants;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which ids a client may choose (each reachable by its status URL, none the id an idempotency key maps to), and the ids
 * derived from keys (stable per key; with an id secret, not computable without it).
 */
class DocumentIdsTest {
    private static final String KEY = "cli-5d41402abc4b2a76b9719d911017c592";

    @Test
    void aClientIdIsOnePathSegmentOfTheStatusUrlAsItIs() {
        for (String id : List.of(
                "doc-1",
                "a.b",
                "x..y",
                "invoice:2024_07",
                "9",
                "A".repeat(128),
                UUID.randomUUID().toString())) {
            assertTrue(DocumentIds.isValidDocumentId(id), id);
            URI status = URI.create("http://host/v1/documents/" + id);
            assertEquals(status, status.normalize(), id + " survives URL normalisation");
        }
    }

    @Test
    void idsAUrlWouldRewriteOrAKafkaKeyWouldSplitAreRefused() {
        for (String id : List.of(
                ".",
                "..",
                "...",
                ".hidden",
                "-x",
                "_x",
                ":x",
                "a/b",
                "a\\b",
                "a b",
                "a\u0000b",
                "a\nb",
                "a\u007fb",
                "caf\u00e9",
                "A".repeat(129),
                "")) {
            assertFalse(DocumentIds.isValidDocumentId(id), id);
        }
    }

    @Test
    void noClientIdIsAnIdAKeyMapsTo() {
        String derived = DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, "another client's key", Optional.empty());
        assertEquals(5, UUID.fromString(derived).version());
        assertFalse(DocumentIds.isValidDocumentId(derived), "a client cannot take the id of another's key");
        assertTrue(
                DocumentIds.isValidDocumentId(derived.toUpperCase(Locale.ROOT)),
                "upper case is another Kafka key, never derived");
    }

    @Test
    void withoutASecretTheIdIsTheVersion5UuidOfTheKey() {
        String id = DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, KEY, Optional.empty());
        assertEquals(DocumentIds.nameBased(DocumentIds.NAMESPACE, KEY).toString(), id);
        assertEquals(5, UUID.fromString(id).version());
    }

    @Test
    void theSecretChangesTheIdAndEachSecretGivesItsOwnStableId() {
        Optional<String> secret = Optional.of("b7e2c9d4a1f6e3b8c5d2a9f6e3b0c7d4");
        String peppered = DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, KEY, secret);
        assertEquals(
                peppered,
                DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, KEY, secret),
                "stable across calls and instances");
        assertNotEquals(DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, KEY, Optional.empty()), peppered);
        assertNotEquals(
                DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, KEY, Optional.of("another-secret-of-24-chars!")),
                peppered);
        assertEquals(5, UUID.fromString(peppered).version());
    }

    @Test
    void eachTenantGetsItsOwnIdForAKeyAndTheDefaultTenantKeepsItsIds() {
        Optional<String> secret = Optional.of("b7e2c9d4a1f6e3b8c5d2a9f6e3b0c7d4");
        String acme = DocumentIds.fromIdempotencyKey("acme", KEY, secret);
        assertNotEquals(DocumentIds.fromIdempotencyKey("globex", KEY, secret), acme);
        assertNotEquals(DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, KEY, secret), acme);
        assertEquals(acme, DocumentIds.fromIdempotencyKey("acme", KEY, secret), "stable");
        assertEquals(
                DocumentIds.nameBased(DocumentIds.NAMESPACE, KEY).toString(),
                DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, KEY, Optional.empty()),
                "the default tenant's ids are those of before tenants");
        assertNotEquals(
                DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, "acme" + KEY, Optional.empty()),
                DocumentIds.fromIdempotencyKey("acme", KEY, Optional.empty()),
                "a tenant's name cannot be spelled into a default key");
    }
}
