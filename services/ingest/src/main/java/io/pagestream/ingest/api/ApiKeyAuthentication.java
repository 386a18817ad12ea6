package io.pagestream.ingest.api;

import io.pagestream.ingest.IngestConfig;
import io.pagestream.ingest.auth.ApiKeys;
import io.pagestream.ingest.auth.Tenants;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * API-key authentication: header {@code X-API-Key} holding one of the configured keys ({@link ApiKeys}); the identity
 * carries the key's tenant. Works next
 * to bearer tokens (smallrye-jwt); which paths need either is decided by {@code quarkus.http.auth.permission.*},
 * switched on by {@code pagestream.ingest.auth.enabled}.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {
    public static final String HEADER = "X-API-Key";

    @Inject
    IngestConfig config;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String key = context.request().getHeader(HEADER);
        if (key == null || key.isEmpty() || !config.auth().enabled()) {
            // With authentication off a key is simply ignored (a client configured with one still gets through).
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identities.authenticate(new ApiKeyRequest(key));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "ApiKey header=\"" + HEADER + "\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
    }

    /** The key as presented. */
    public static final class ApiKeyRequest extends BaseAuthenticationRequest {
        private final String key;

        ApiKeyRequest(String key) {
            this.key = key;
        }

        String key() {
            return key;
        }
    }

    /** Checks a presented key against the configured ones in constant time, and names its tenant. */
    @ApplicationScoped
    public static class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {
        @Inject
        IngestConfig config;

        private ApiKeys keys;

        @PostConstruct
        void load() {
            keys = ApiKeys.of(config.auth());
        }

        @Override
        public Class<ApiKeyRequest> getRequestType() {
            return ApiKeyRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
            return keys.tenantOf(request.key())
                    .map(tenant -> Uni.createFrom()
                            .<SecurityIdentity>item(QuarkusSecurityIdentity.builder()
                                    .setPrincipal(new QuarkusPrincipal("api-key@" + tenant))
                                    .addRole("ingest")
                                    .addAttribute(Tenants.ATTRIBUTE, tenant)
                                    .build()))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("unknown API key")));
        }
    }
}
