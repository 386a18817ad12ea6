package io.pagestream.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.RegistryConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"pagestream-worker\" password=\"s3cr=t;\";";

    @TempDir
    Path dir;

    static ClientSettings settings(Map<String, String> properties) {
        return ClientSettings.of(new SmallRyeConfigBuilder()
                .withMapping(ShellConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(ShellConfig.class));
    }

    Path clientFile(String... lines) throws IOException {
        Path file = dir.resolve("client.properties");
        Files.write(file, List.of(lines));
        return file;
    }

    @Test
    void defaultsReachTheEmbeddedStack() {
        ClientSettings settings = settings(Map.of());
        assertEquals(Map.of("bootstrap.servers", "localhost:9092"), settings.kafka());
        assertEquals(
                List.of(URI.create("http://localhost:8081/apis/ccompat/v7")),
                settings.registry().urls());
        assertTrue(settings.autoRegister());
        assertTrue(settings.registry().userInfo().isEmpty());
    }

    @Test
    void inlineWinsOverTheFileWhichWinsOverDefaults() throws IOException {
        Path file = clientFile(
                "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-256", "client.dns.lookup=use_all_dns_ips");
        ClientSettings settings = settings(Map.of(
                "pagestream.kafka.bootstrap-servers", "kafka-1:9093,kafka-2:9093",
                "pagestream.kafka.config-file", file.toString(),
                "pagestream.kafka.properties.\"sasl.mechanism\"", "SCRAM-SHA-512",
                "pagestream.kafka.properties.\"request.timeout.ms\"", "20000",
                "pagestream.registry.auto-register", "false"));
        assertEquals(
                Map.of(
                        "bootstrap.servers", "kafka-1:9093,kafka-2:9093",
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "client.dns.lookup", "use_all_dns_ips",
                        "request.timeout.ms", "20000"),
                settings.kafka());
        assertFalse(settings.autoRegister());
    }

    @Test
    void saslAndTlsSettingsPassThroughUntouched() throws IOException {
        Path file = clientFile(
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=" + JAAS.replace("=", "\\="),
                "ssl.truststore.location=/etc/pagestream/kafka/ca.p12",
                "ssl.truststore.password=trust-me",
                "ssl.truststore.type=PKCS12",
                "ssl.keystore.location=/etc/pagestream/kafka/user.p12",
                "ssl.keystore.password=key-pass",
                "ssl.key.password=key-pass",
                "ssl.endpoint.identification.algorithm=https");
        Map<String, Object> kafka = settings(Map.of("pagestream.kafka.config-file", file.toString()))
                .kafka();
        assertEquals(JAAS, kafka.get("sasl.jaas.config"));
        assertEquals("SASL_SSL", kafka.get("security.protocol"));
        assertEquals("/etc/pagestream/kafka/user.p12", kafka.get("ssl.keystore.location"));
        assertEquals("key-pass", kafka.get("ssl.key.password"));
        assertEquals("https", kafka.get("ssl.endpoint.identification.algorithm"));
        assertEquals(11, kafka.size(), kafka.keySet().toString());
    }

    @Test
    void registryKeysReachTheRegistryClientAndNotKafka() throws IOException {
        Path file = clientFile(
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=ingest:registry-pass",
                "schema.registry.ssl.truststore.location=/etc/pagestream/registry/ca.p12",
                "schema.registry.ssl.truststore.password=trust-me",
                "schema.registry.retries=2");
        Map<String, String> properties = new HashMap<>();
        properties.put("pagestream.kafka.config-file", file.toString());
        properties.put("pagestream.kafka.properties.\"schema.registry.retries\"", "7");
        properties.put("pagestream.registry.url", "https://registry-a:8081, https://registry-b:8081");
        ClientSettings settings = settings(properties);
        RegistryConfig registry = settings.registry();
        assertEquals(
                List.of(URI.create("https://registry-a:8081"), URI.create("https://registry-b:8081")), registry.urls());
        assertEquals("ingest:registry-pass", registry.userInfo().orElseThrow());
        RegistryConfig.Tls tls = registry.tls().orElseThrow();
        assertEquals(Path.of("/etc/pagestream/registry/ca.p12"), tls.truststore());
        assertEquals("trust-me", tls.truststorePassword());
        assertEquals(7, registry.maxRetries());
        assertEquals(Map.of("bootstrap.servers", "localhost:9092"), settings.kafka());
    }

    @Test
    void anUnreadableFileIsAStartUpErrorNamingTheKeyAndPath() {
        Path missing = dir.resolve("no-such-client.properties");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> settings(Map.of("pagestream.kafka.config-file", missing.toString())));
        assertTrue(e.getMessage().contains("pagestream.kafka.config-file=" + missing), e.getMessage());
    }

    @Test
    void brokersAreNamedOneWayOnly() throws IOException {
        Path file = clientFile("bootstrap.servers=elsewhere:9092");
        IllegalArgumentException fromFile = assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of("pagestream.kafka.config-file", file.toString())));
        assertTrue(fromFile.getMessage().contains("pagestream.kafka.bootstrap-servers"), fromFile.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of("pagestream.kafka.properties.\"bootstrap.servers\"", "elsewhere:9092")));
    }

    @Test
    void printsNoSecrets() throws IOException {
        Path file = clientFile("sasl.jaas.config=" + JAAS.replace("=", "\\="), "basic.auth.user.info=u:registry-pass");
        String printed = settings(Map.of("pagestream.kafka.config-file", file.toString()))
                .toString();
        assertTrue(printed.contains("sasl.jaas.config"), printed);
        assertFalse(printed.contains("s3cr"), printed);
        assertFalse(printed.contains("registry-pass"), printed);
    }
}
