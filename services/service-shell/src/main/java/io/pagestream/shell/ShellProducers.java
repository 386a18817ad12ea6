package io.pagestream.shell;

import io.pagestream.registry.SchemaRegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** What every service injects rather than builds: its client settings and its one registry client. */
@ApplicationScoped
public class ShellProducers {

    @Produces
    @Singleton
    ClientSettings clientSettings(ShellConfig config) {
        return ClientSettings.of(config);
    }

    @Produces
    @Singleton
    SchemaRegistryClient registryClient(ClientSettings settings) {
        return new SchemaRegistryClient(settings.registry());
    }

    void closeRegistryClient(@Disposes SchemaRegistryClient client) {
        client.close();
    }
}
