package io.pagestream.ingest.idempotency;

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
 * content) leads to and read or squat it. Without a key, a random UUID. A client-chosen id is accepted when it is a
 * safe Kafka key.
 */
public final class DocumentIds {
    /** pagestream's namespace for version-5 ids (a fixed random UUID). */
    public static final UUID NAMESPACE = UUID.fromString("5b0c3e5e-4a0f-4f5e-9d57-3c1a8f6e2b71");
    /** Letters, digits and {@code . _ : -}, 1 to 128 characters: no '/' (the page key separator), no spaces. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private static final int MAX_KEY_LENGTH = 255;

    private DocumentIds() {}

    /** The id of an idempotency key, peppered with the deployment's secret where one is configured. */
    public static String fromIdempotencyKey(String key, Optional<String> secret) {
        return nameBased(NAMESPACE, secret.map(s -> hmac(s, key)).orElse(key)).toString();
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

    public static boolean isValidDocumentId(String id) {
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
