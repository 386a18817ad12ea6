package io.pagestream.registry.testing;

import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;

/**
 * The registry client a test talks to a real registry with: the services' defaults, nothing tuned. Tests whose
 * subject is the client's own settings (retries, TLS, authentication) build theirs.
 */
public final class RegistryClients {
    private RegistryClients() {}

    /** A new client of the registry at {@code url} (its Confluent API root); the caller closes it. */
    public static SchemaRegistryClient of(String url) {
        return new SchemaRegistryClient(RegistryConfig.of(url));
    }
}
