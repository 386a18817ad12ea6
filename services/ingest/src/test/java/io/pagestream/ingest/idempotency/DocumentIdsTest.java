package io.pagestream.ingest.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ids derived from idempotency keys: stable per key, and with an id secret not computable without it. */
class DocumentIdsTest {
    private static final String KEY = "cli-5d41402abc4b2a76b9719d911017c592";

    @Test
    void withoutASecretTheIdIsTheVersion5UuidOfTheKey() {
        String id = DocumentIds.fromIdempotencyKey(KEY, Optional.empty());
        assertEquals(DocumentIds.nameBased(DocumentIds.NAMESPACE, KEY).toString(), id);
        assertEquals(5, UUID.fromString(id).version());
    }

    @Test
    void theSecretChangesTheIdAndEachSecretGivesItsOwnStableId() {
        Optional<String> secret = Optional.of("b7e2c9d4a1f6e3b8c5d2a9f6e3b0c7d4");
        String peppered = DocumentIds.fromIdempotencyKey(KEY, secret);
        assertEquals(peppered, DocumentIds.fromIdempotencyKey(KEY, secret), "stable across calls and instances");
        assertNotEquals(DocumentIds.fromIdempotencyKey(KEY, Optional.empty()), peppered);
        assertNotEquals(DocumentIds.fromIdempotencyKey(KEY, Optional.of("another-secret-of-24-chars!")), peppered);
        assertEquals(5, UUID.fromString(peppered).version());
    }
}
