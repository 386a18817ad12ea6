package io.pagestream.ingest.auth;

import io.pagestream.ingest.IngestConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A bearer token's tenant is its {@code pagestream.ingest.auth.tenant-claim} claim ({@code tenant} by default). A
 * token without one, or with a name outside {@link Tenants#NAME_RULE}, is refused as unauthenticated (401): there is
 * no fallback, since a token that silently landed in a default tenant would read that tenant's documents.
 */
@ApplicationScoped
public class TokenTenants implements SecurityIdentityAugmentor {
    private static final System.Logger LOG = System.getLogger(TokenTenants.class.getName());

    @Inject
    IngestConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || identity.getAttribute(Tenants.ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String claim = config.auth().tenantClaim();
        String tenant =
                switch (token.getClaim(claim)) {
                    case String s -> s;
                    case JsonString s -> s.getString();
                    case null, default -> null;
                };
        if (!Tenants.isValidName(tenant)) {
            LOG.log(
                    System.Logger.Level.INFO,
                    String.format(
                            "refused the token of %s: its claim %s is %s (a tenant name is %s)",
                            token.getName(), claim, tenant == null ? "missing" : "no tenant name", Tenants.NAME_RULE));
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException("the token names no tenant in claim " + claim));
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder(identity)
                        .addAttribute(Tenants.ATTRIBUTE, tenant)
                        .build());
    }
}
