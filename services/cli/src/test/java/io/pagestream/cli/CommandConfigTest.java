package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandConfigTest {

    @Test
    void kafkaAndRegistrySettingsGoToTheirOwnClients(@TempDir Path dir) throws IOException {
        CommandConfig.Settings settings = parse(
                        Files.writeString(
                                dir.resolve("client.properties"),
                                """
                        security.protocol=SASL_SSL
                        sasl.mechanism=SCRAM-SHA-512
                        bootstrap.servers=broker:9093
                        schema.registry.url=https://registry:8081
                        basic.auth.user.info=watch:secret
                        schema.registry.retries=0
                        """))
                .load();

        Map<String, Object> kafka = settings.kafka(Optional.empty(), "127.0.0.1:9092");
        assertEquals(
                Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.mechanism",
                        "SCRAM-SHA-512",
                        "bootstrap.servers",
                        "broker:9093"),
                kafka);
        RegistryConfig registry = settings.registry(Optional.empty(), "http://127.0.0.1:8081");
        assertEquals(
                List.of("https://registry:8081"),
                registry.urls().stream().map(Object::toString).toList());
        assertEquals(0, registry.maxRetries());
        assertEquals(Optional.of("watch:secret"), registry.userInfo());
    }

    @Test
    void theCommandLineOptionsWinOverTheFile(@TempDir Path dir) throws IOException {
        CommandConfig.Settings settings = parse(Files.writeString(
                        dir.resolve("client.properties"),
                        "bootstrap.servers=broker:9093\nschema.registry.url=https://registry:8081\n"))
                .load();

        assertEquals(
                "other:9092",
                settings.kafka(Optional.of("other:9092"), "unused").get("bootstrap.servers"));
        assertEquals(
                List.of("http://other:8081"),
                settings.registry(Optional.of("http://other:8081"), "unused").urls().stream()
                        .map(Object::toString)
                        .toList());
    }

    @Test
    void withoutAFileTheEmbeddedStackIsTheDefault() throws IOException {
        CommandConfig.Settings settings = parse(null).load();

        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092"), settings.kafka(Optional.empty(), "127.0.0.1:9092"));
        assertFalse(settings.all().containsKey("security.protocol"));
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        IOException e = assertThrows(IOException.class, () -> parse(missing).load());
        assertTrue(e.getMessage().contains("--command-config " + missing), e.getMessage());
    }

    private static CommandConfig parse(Path file) {
        CommandConfig config = new CommandConfig();
        new CommandLine(config)
                .parseArgs(file == null ? new String[0] : new String[] {"--command-config", file.toString()});
        return config;
    }
}
