package io.pagestream.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka extensions' keys follow {@code pagestream.kafka.*}, below what a service names itself. */
class KafkaExtensionKeysTest {

    @TempDir
    Path dir;

    /** Like Quarkus: application.properties at ordinal 250, the factory beside it. */
    static SmallRyeConfig config(Map<String, String> applicationProperties, String... profiles) {
        return new SmallRyeConfigBuilder()
                .withProfiles(List.of(profiles))
                .withSources(new PropertiesConfigSource(applicationProperties, "application.properties", 250))
                .withSources(new KafkaExtensionKeys())
                .build();
    }

    @Test
    void inlineSettingsReachKafkaStreamsAndTheKafkaClientExtension() {
        SmallRyeConfig config = config(Map.of(
                "pagestream.kafka.bootstrap-servers", "kafka:9093",
                "pagestream.kafka.properties.\"security.protocol\"", "SASL_SSL"));
        assertEquals("SASL_SSL", config.getRawValue("kafka-streams.security.protocol"));
        assertEquals("SASL_SSL", config.getRawValue("kafka.security.protocol"));
        assertEquals("kafka:9093", config.getRawValue("kafka.bootstrap.servers"));
    }

    @Test
    void fileSettingsReachThemTooButRegistryKeysDoNot() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.write(file, List.of("ssl.keystore.location=/etc/kafka/user.p12", "basic.auth.user.info=u:p"));
        SmallRyeConfig config = config(Map.of("pagestream.kafka.config-file", file.toString()));
        assertEquals("/etc/kafka/user.p12", config.getRawValue("kafka-streams.ssl.keystore.location"));
        assertEquals("localhost:9092", config.getRawValue("kafka.bootstrap.servers"));
        assertFalse(config.getOptionalValue("kafka-streams.basic.auth.user.info", String.class)
                .isPresent());
    }

    @Test
    void environmentVariablesCountAsInKubernetes() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.write(file, List.of("security.protocol=SSL"));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(
                        Map.of(
                                "PAGESTREAM_KAFKA_BOOTSTRAP_SERVERS",
                                "pagestream-kafka-bootstrap:9093",
                                "PAGESTREAM_KAFKA_CONFIG_FILE",
                                file.toString()),
                        300))
                .withSources(new KafkaExtensionKeys())
                .build();
        assertEquals("pagestream-kafka-bootstrap:9093", config.getRawValue("kafka.bootstrap.servers"));
        assertEquals("SSL", config.getRawValue("kafka-streams.security.protocol"));
    }

    @Test
    void aServicesOwnKafkaStreamsSettingWins() {
        SmallRyeConfig config = config(Map.of(
                "pagestream.kafka.properties.\"security.protocol\"", "SASL_SSL",
                "kafka-streams.security.protocol", "SSL"));
        assertEquals("SSL", config.getRawValue("kafka-streams.security.protocol"));
        assertEquals("SASL_SSL", config.getRawValue("kafka.security.protocol"));
    }

    @Test
    void profileSettingsCountOnlyInTheirProfile() {
        Map<String, String> properties = Map.of("%test.pagestream.kafka.properties.\"security.protocol\"", "SSL");
        assertEquals("SSL", config(properties, "test").getRawValue("kafka-streams.security.protocol"));
        assertFalse(config(properties, "prod")
                .getOptionalValue("kafka-streams.security.protocol", String.class)
                .isPresent());
    }
}
