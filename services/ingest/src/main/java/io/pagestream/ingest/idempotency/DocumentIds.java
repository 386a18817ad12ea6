package io.pagestream.ingest.idempotency;

import io.pagestream.ingest.auth.Tenants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Document ids. Given an idempotency key, the id is a name-based UUID (version 5, SHA-1, RFC 9562) in pagestream's
 * own namespace — every ingest instance, before or after a restart, derives the same id from the same key. With the
 * deployment's id secret ({@code pagestream.ingest.id-secret}) the name is the key's HMAC-SHA256 under that secret
 * rather than the key itself, so that nobody without the secret can compute the id a key (say, a hash of a file's
 * content) leads to. Without a key, a random UUID. A client-chosen id must follow {@link #DOCUMENT_ID_RULE}: a safe
 * Kafka key and one path segment of the status URL as it is, and never the form of a derived id, so that no client
 * can take the id another client's key maps to.
 */
public final class DocumentIds {
    /** pagestream's namespace for version-5 ids (a fixed random UUID). */
    public static final UUID NAMESPACE = UUID.fromString("5b0c3e5e-4a0f-4f5e-9d57-3c1a8f6e2b71");
    /** The rule for a client's own document id, as error messages and the OpenAPI description state it. */
    public static final String DOCUMENT_ID_RULE = "1 to 128 ASCII letters, digits, '.', '_', ':' or '-', starting with"
            + " a letter or digit, and not a lower-case version-5 UUID (the form of ids derived from idempotency keys)";
    /**
     * No '/' (the page key separator) or backslash, no spaces or control characters; the first character a letter or digit,
     * so no id is a dot segment ("." or "..") that a URL resolver would swallow.
     */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    /** What {@link #fromIdempotencyKey} returns: {@link UUID#toString()} of a version-5 UUID. */
    private static final Pattern DERIVED_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private static final int MAX_KEY_LENGTH = 255;

    private DocumentIds() {}

    /**
     * The id of a tenant's idempotency key, peppered with the deployment's secret where one is configured. The name is
     * the key itself for the default tenant (so the ids of documents from before tenants stay what they were), else
     * the tenant and the key joined by a NUL, which no key holds: two tenants using the same key get two documents.
     */
    public static String fromIdempotencyKey(String tenant, String key, Optional<String> secret) {
        String name = Tenants.DEFAULT.equals(tenant) ? key : tenant + '\0' + key;
        return nameBased(NAMESPACE, secret.map(s -> hmac(s, name)).orElse(name)).toString();
    }

    private static String hmac(String secret, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String random() {
        return UUID.randomUUID().toString();
    }

    /** Whether a client may choose {@code id} as its document's id ({@link #DOCUMENT_ID_RULE}). */
    public static boolean isValidDocumentId(String id) {
        return id != null
                && SAFE_ID.matcher(id).matches()
                && !DERIVED_ID.matcher(id).matches();
    }

    /** Whether {@code id} could name a document ingest accepted: a client's own id, or one ingest made. */
    public static boolean isReadableId(String id) {
        return id != null && SAFE_ID.matcher(id).matches();
    }

    public static boolean isValidIdempotencyKey(String key) {
        return key != null
                && !key.isBlank()
                && key.length() <= MAX_KEY_LENGTH
                && key.chars().noneMatch(Character::isISOControl);
    }

    static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16);
        ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3F) | 0x80); // IETF variant
        ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
