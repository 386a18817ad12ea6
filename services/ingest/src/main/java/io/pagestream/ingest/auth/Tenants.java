package io.pagestream.ingest.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.regex.Pattern;

/**
 * Every API key and every token belongs to a tenant, and a tenant reads, deletes and takes ids only among its own
 * documents (docs/ingest.md#tenants). The caller's tenant is an attribute of its {@link SecurityIdentity}, set where
 * the credential is checked: {@code ApiKeyAuthentication} for keys, {@link TokenTenants} for tokens.
 */
public final class Tenants {
    /**
     * The tenant of the plain {@code api-keys}, of every caller while authentication is off, and of records written
     * before tenants (the contracts' default).
     */
    public static final String DEFAULT = "default";
    /** The identity attribute holding the caller's tenant. */
    public static final String ATTRIBUTE = "pagestream.tenant";
    /** The rule for a tenant's name, as configuration errors and the token check state it. */
    public static final String NAME_RULE =
            "1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Tenants() {}

    public static boolean isValidName(String tenant) {
        return tenant != null && NAME.matcher(tenant).matches();
    }

    /**
     * The caller's tenant: its credential's, or {@link #DEFAULT} for an anonymous caller, who only gets this far while
     * authentication is off.
     *
     * @throws IllegalStateException for an authenticated caller without one: a credential checked elsewhere than
     *     here, which must not silently become the default tenant
     */
    public static String of(SecurityIdentity identity) {
        String tenant = identity.getAttribute(ATTRIBUTE);
        if (tenant != null) {
            return tenant;
        }
        if (identity.isAnonymous()) {
            return DEFAULT;
        }
        throw new IllegalStateException(
                "caller " + identity.getPrincipal().getName() + " was authenticated without a tenant");
    }
}
