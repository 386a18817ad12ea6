package io.pagestream.ingest.auth;

import io.pagestream.ingest.IngestConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stops ingest at start-up when authentication is on without real credentials ({@link CredentialPolicy}): the
 * start fails with one message listing every problem, before any request is served.
 */
@ApplicationScoped
public class CredentialCheck {
    @Inject
    IngestConfig config;

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> jwtKeyLocation;

    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> jwtKey;

    void onStart(@Observes StartupEvent event) {
        List<String> problems = CredentialPolicy.problems(
                config.auth().enabled(),
                ApiKeys.of(config.auth()),
                jwtKeyLocation.isPresent() || jwtKey.isPresent(),
                config.idSecret());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("ingest refuses to start: authentication is on (pagestream.ingest.auth"
                    + ".enabled) but " + String.join("; ", problems)
                    + ". Create the Secret pagestream-ingest-secrets as docs/deploying.md shows.");
        }
    }
}
