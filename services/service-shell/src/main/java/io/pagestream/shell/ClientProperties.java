package io.pagestream.shell;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The client properties of a service, merged from {@code pagestream.kafka.*}: the bootstrap servers, then the config
 * file, then the inline properties (each wins over what came before). Kafka's and the registry client's settings
 * travel together, as in a file written for Kafka's tools and Confluent's serdes; {@link #kafkaPart} and
 * {@link #registryPart} tell them apart.
 */
final class ClientProperties {
    static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    static final String CONFIG_FILE_KEY = "pagestream.kafka.config-file";
    static final String BOOTSTRAP_KEY = "pagestream.kafka.bootstrap-servers";

    private ClientProperties() {}

    static Map<String, String> merge(String bootstrapServers, Optional<Path> configFile, Map<String, String> inline) {
        Map<String, String> merged = new TreeMap<>();
        merged.put(BOOTSTRAP_SERVERS, bootstrapServers);
        configFile.ifPresent(file -> putAll(merged, read(file), CONFIG_FILE_KEY + "=" + file));
        putAll(merged, inline, "pagestream.kafka.properties");
        return merged;
    }

    /** The settings the registry client reads (Confluent's names); Kafka's clients would only warn about them. */
    static Map<String, String> registryPart(Map<String, String> all) {
        Map<String, String> part = new TreeMap<>(all);
        part.keySet().removeIf(k -> !isRegistryKey(k));
        return part;
    }

    static Map<String, String> kafkaPart(Map<String, String> all) {
        Map<String, String> part = new TreeMap<>(all);
        part.keySet().removeIf(ClientProperties::isRegistryKey);
        return part;
    }

    private static boolean isRegistryKey(String key) {
        return key.startsWith("schema.registry.") || key.startsWith("basic.auth.");
    }

    private static void putAll(Map<String, String> merged, Map<String, String> more, String where) {
        if (more.containsKey(BOOTSTRAP_SERVERS)) {
            // One way to name the brokers, so a deployment never has two that disagree.
            throw new IllegalArgumentException(
                    BOOTSTRAP_SERVERS + " in " + where + ": set " + BOOTSTRAP_KEY + " instead");
        }
        merged.putAll(more);
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    CONFIG_FILE_KEY + "=" + file + " cannot be read as a Java properties file: " + e, e);
        }
        Map<String, String> values = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(k -> values.put(k, properties.getProperty(k).trim()));
        return values;
    }
}
