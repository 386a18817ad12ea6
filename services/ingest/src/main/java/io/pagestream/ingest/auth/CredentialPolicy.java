package io.pagestream.ingest.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What authentication needs before ingest may serve with it switched on: at least one way in (an API key or a JWT
 * verification key), every API key and the id secret long and not a placeholder, every tenant well named and each
 * key of one tenant only. A deployment that forgot to put its
 * own credentials in place would otherwise run with the ones from an example, or with none at all.
 */
public final class CredentialPolicy {
    /**
     * Shortest API key and id secret accepted: 24 characters, well within reach of {@code openssl rand -hex 16} (32)
     * and beyond what anyone types as a stand-in.
     */
    public static final int MIN_LENGTH = 24;

    /** Words of the stand-ins that examples and templates ship with, compared in lower case. */
    private static final List<String> PLACEHOLDERS =
            List.of("change-me", "changeme", "change_me", "replace-me", "replaceme", "placeholder", "example");

    private CredentialPolicy() {}

    /**
     * The problems with these settings, each a sentence naming the setting; empty when authentication is off or all
     * is well.
     */
    public static List<String> problems(
            boolean authEnabled, ApiKeys apiKeys, boolean jwtKeyConfigured, Optional<String> idSecret) {
        if (!authEnabled) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        if (apiKeys.isEmpty() && !jwtKeyConfigured) {
            problems.add("no credentials: set pagestream.ingest.auth.api-keys (PAGESTREAM_INGEST_AUTH_API_KEYS), "
                    + "pagestream.ingest.auth.tenants.\"<tenant>\".api-keys or a JWT verification key "
                    + "(MP_JWT_VERIFY_PUBLICKEY_LOCATION)");
        }
        Map<String, String> tenantOfKey = new HashMap<>();
        apiKeys.byTenant().forEach((tenant, keys) -> {
            String setting = Tenants.DEFAULT.equals(tenant)
                    ? "pagestream.ingest.auth.api-keys"
                    : "pagestream.ingest.auth.tenants.\"" + tenant + "\".api-keys";
            if (!Tenants.isValidName(tenant)) {
                problems.add(
                        "pagestream.ingest.auth.tenants.\"" + tenant + "\": a tenant name is " + Tenants.NAME_RULE);
            }
            for (int i = 0; i < keys.size(); i++) {
                int number = i + 1;
                weakness(keys.get(i)).ifPresent(w -> problems.add(setting + ": key " + number + " " + w));
                String other = tenantOfKey.putIfAbsent(keys.get(i), tenant);
                if (other != null && !other.equals(tenant)) {
                    problems.add(setting + ": key " + number + " is also a key of tenant " + other
                            + " (a key belongs to one tenant)");
                }
            }
        });
        if (idSecret.isEmpty() || idSecret.get().isBlank()) {
            problems.add("pagestream.ingest.id-secret (PAGESTREAM_INGEST_ID_SECRET) is not set: with authentication on,"
                    + " ids derived from idempotency keys need a secret nobody else knows");
        } else {
            weakness(idSecret.get()).ifPresent(w -> problems.add("pagestream.ingest.id-secret " + w));
        }
        return problems;
    }

    /** Why a key or secret is too weak, if it is; never repeats the value itself. */
    private static Optional<String> weakness(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (String placeholder : PLACEHOLDERS) {
            if (lower.contains(placeholder)) {
                return Optional.of("is a placeholder (contains \"" + placeholder + "\")");
            }
        }
        if (value.length() < MIN_LENGTH) {
            return Optional.of("has " + value.length() + " characters; at least " + MIN_LENGTH + " are required");
        }
        return Optional.empty();
    }
}
