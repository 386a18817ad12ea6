package io.pagestream.avro;

import io.pagestream.registry.RegistryConfig;
import java.util.Map;

/**
 * Serde settings, read from Kafka client properties under Confluent's key names.
 *
 * @param autoRegister   {@code auto.register.schemas} (default true): register the writer's schema on first use;
 *                       when false the schema must already be registered (by a deployment step) or writing fails
 * @param specificReader {@code specific.avro.reader} (default false): read into the generated class named by the
 *                       writer's schema instead of a {@code GenericRecord}
 */
public record AvroSerdeConfig(RegistryConfig registry, boolean autoRegister, boolean specificReader) {
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String SPECIFIC_READER = "specific.avro.reader";

    public static AvroSerdeConfig fromMap(Map<String, ?> configs) {
        return new AvroSerdeConfig(
                RegistryConfig.fromMap(configs),
                bool(configs, AUTO_REGISTER, true),
                bool(configs, SPECIFIC_READER, false));
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        String text = value.toString().trim();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + "=" + value + " is not true or false");
        }
        return Boolean.parseBoolean(text);
    }
}
