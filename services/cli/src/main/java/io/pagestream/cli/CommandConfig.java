package io.pagestream.cli;

import io.pagestream.registry.RegistryConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * {@code --command-config FILE}, as Kafka's own tools take it: one Java properties file of Kafka's client settings
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*} …) and the registry client's by Confluent's names (keys
 * starting {@code schema.registry.} or {@code basic.auth.}), so that secrets stay off the command line. The same file
 * a service takes as {@code pagestream.kafka.config-file} works here, plus {@code bootstrap.servers} and
 * {@code schema.registry.url}, which the command's own options override.
 */
public final class CommandConfig {
    static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Client properties: Kafka's (security.protocol, sasl.*, ssl.*, bootstrap.servers) and the"
                    + " registry client's (schema.registry.url, basic.auth.user.info, schema.registry.ssl.*), as in"
                    + " docs/configuration.md.")
    Path file;

    /** The settings of the file, or none without one. */
    public Settings load() throws IOException {
        return file == null ? new Settings(Map.of()) : Settings.read(file);
    }

    /** A command config file's settings, split as a Kafka client and the registry client take them. */
    public record Settings(Map<String, String> all) {
        public Settings {
            all = Map.copyOf(all);
        }

        public static Settings read(Path file) throws IOException {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException("--command-config " + file + " cannot be read as a properties file: " + e, e);
            }
            Map<String, String> all = new TreeMap<>();
            properties
                    .stringPropertyNames()
                    .forEach(k -> all.put(k, properties.getProperty(k).trim()));
            return new Settings(all);
        }

        /** Kafka's settings, {@code bootstrapServers} given on the command line winning over the file's. */
        public Map<String, Object> kafka(Optional<String> bootstrapServers, String fallback) {
            Map<String, Object> kafka = new TreeMap<>();
            all.forEach((k, v) -> {
                if (!isRegistryKey(k)) {
                    kafka.put(k, v);
                }
            });
            kafka.put(
                    BOOTSTRAP_SERVERS, bootstrapServers.orElseGet(() -> all.getOrDefault(BOOTSTRAP_SERVERS, fallback)));
            return kafka;
        }

        /** The registry client's settings, the URL given on the command line winning over the file's. */
        public RegistryConfig registry(Optional<String> url, String fallback) {
            Map<String, Object> registry = new TreeMap<>();
            all.forEach((k, v) -> {
                if (isRegistryKey(k)) {
                    registry.put(k, v);
                }
            });
            registry.put(RegistryConfig.URL, url.orElseGet(() -> all.getOrDefault(RegistryConfig.URL, fallback)));
            return RegistryConfig.fromMap(registry);
        }

        private static boolean isRegistryKey(String key) {
            return key.startsWith("schema.registry.") || key.startsWith("basic.auth.");
        }
    }
}
