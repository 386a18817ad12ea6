package io.pagestream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

// Not @IntegrationTest: that lives in test-support, which depends on this module.
@Tag("integration")
class ApicurioRegistryTest {

    @Test
    void startsWithTheConfluentApiAndBackwardCompatibilityAndStops() throws Exception {
        Path dir = Files.createTempDirectory("pagestream-registry-test-");
        try (ApicurioRegistry registry = ApicurioRegistry.start(dir);
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> config = http.send(
                    HttpRequest.newBuilder(URI.create(registry.url() + "/config"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, config.statusCode());
            assertEquals("{\"compatibilityLevel\":\"BACKWARD\"}", config.body().replace(" ", ""));
            registry.close();
            assertFalse(registry.process().isAlive());
        } finally {
            Directories.deleteQuietly(dir);
        }
    }
}
