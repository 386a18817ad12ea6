package io.pagestream.shell;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Republishes the Kafka client settings of {@code pagestream.kafka.*} under the names Quarkus' Kafka extensions read:
 * {@code kafka.*} (the Kafka client extension's default broker settings and health check, {@code
 * kafka.bootstrap.servers} for Kafka Streams' broker list) and {@code kafka-streams.*} (every Kafka Streams client).
 * The ordinal sits below application.properties', so a service that names {@code kafka-streams.x} itself still wins.
 */
public class KafkaExtensionKeys implements ConfigSourceFactory {
    static final int ORDINAL = 100;
    static final String NAME = "pagestream.kafka.* for Quarkus' Kafka extensions";
    private static final String INLINE_PREFIX = "pagestream.kafka.properties.";
    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String bootstrap = value(context, ClientProperties.BOOTSTRAP_KEY).orElse(ShellConfig.DEFAULT_BOOTSTRAP_SERVERS);
        Optional<Path> file = value(context, ClientProperties.CONFIG_FILE_KEY).map(Path::of);
        Map<String, String> inline = new TreeMap<>();
        context.iterateNames().forEachRemaining(name -> {
            String plain = PROFILE.matcher(name).replaceFirst("");
            if (plain.startsWith(INLINE_PREFIX)) {
                value(context, plain).ifPresent(v -> inline.put(unquote(plain.substring(INLINE_PREFIX.length())), v));
            }
        });
        return List.of(new PropertiesConfigSource(republished(bootstrap, file, inline), NAME, ORDINAL));
    }

    static Map<String, String> republished(String bootstrap, Optional<Path> file, Map<String, String> inline) {
        Map<String, String> out = new TreeMap<>();
        ClientProperties.kafkaPart(ClientProperties.merge(bootstrap, file, inline))
                .forEach((k, v) -> {
                    out.put("kafka." + k, v);
                    out.put("kafka-streams." + k, v);
                });
        return out;
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        return Optional.ofNullable(context.getValue(name))
                .map(ConfigValue::getValue)
                .filter(v -> !v.isBlank());
    }

    private static String unquote(String key) {
        return key.length() > 1 && key.startsWith("\"") && key.endsWith("\"")
                ? key.substring(1, key.length() - 1)
                : key;
    }
}
