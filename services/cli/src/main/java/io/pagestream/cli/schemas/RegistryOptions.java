package io.pagestream.cli.schemas;

import io.pagestream.registry.RegistryConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
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

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Registry client properties: basic.auth.user.info, schema.registry.ssl.truststore.location"
                    + " and the other schema.registry.* keys of docs/configuration.md.")
    Path commandConfig;

    RegistryConfig config() throws IOException {
        Map<String, Object> settings = new HashMap<>();
        if (commandConfig != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(commandConfig)) {
                file.load(in);
            }
            file.forEach((k, v) -> settings.put(k.toString(), v));
        }
        if (url != null) {
            settings.put(RegistryConfig.URL, url);
        }
        settings.putIfAbsent(RegistryConfig.URL, EMBEDDED_REGISTRY);
        return RegistryConfig.fromMap(settings);
    }
}
