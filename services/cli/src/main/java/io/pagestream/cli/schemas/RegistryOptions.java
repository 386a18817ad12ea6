package io.pagestream.cli.schemas;

import io.pagestream.cli.CommandConfig;
import io.pagestream.registry.RegistryConfig;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the registry is and how to authenticate, as Kafka's tools take it: a URL option and a properties file of
 * the client's own settings (Confluent's names, what {@link RegistryConfig#fromMap} reads), so secrets stay out of
 * the command line.
 */
final class RegistryOptions {
    static final String EMBEDDED_REGISTRY = "http://127.0.0.1:8081/apis/ccompat/v7";

    @Option(
            names = "--registry",
            paramLabel = "URL",
            description =
                    "Schema registry base URL(s), comma-separated (Confluent API; for Apicurio .../apis/ccompat/v7)."
                            + " Default: schema.registry.url from --command-config, else " + EMBEDDED_REGISTRY + ".")
    String url;

    @Mixin
    CommandConfig commandConfig;

    RegistryConfig config() throws IOException {
        return commandConfig.load().registry(Optional.ofNullable(url), EMBEDDED_REGISTRY);
    }
}
