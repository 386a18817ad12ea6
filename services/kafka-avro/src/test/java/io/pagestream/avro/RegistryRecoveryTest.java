package io.pagestream.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.PageOcr;
import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.FreePorts;
import io.pagestream.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that is down when the service starts: clear errors while it is down, normal service once it is up. */
@IntegrationTest
class RegistryRecoveryTest {

    @Test
    void aRegistryDownAtStartIsUsedOnceItComesUp(@TempDir Path dir) throws Exception {
        int port = FreePorts.pick();
        String url = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
        String topic = "recovery.pages";
        PageOcr page = Samples.pageOcr("doc-r", 0);

        try (var impatient = new SchemaRegistryClient(
                        RegistryConfig.of(url).withRetries(1, Duration.ofMillis(50), Duration.ofMillis(50)));
                var patient = new SchemaRegistryClient(
                        RegistryConfig.of(url).withRetries(120, Duration.ofMillis(250), Duration.ofSeconds(1)))) {
            var serializer = new AvroSerializer<PageOcr>(impatient, true);
            SerializationException down =
                    assertThrows(SerializationException.class, () -> serializer.serialize(topic, page));
            assertTrue(
                    down.getMessage().contains("could not reach the registry")
                            && down.getMessage().contains(topic + "-value"),
                    down.getMessage());

            CompletableFuture<byte[]> inFlight = CompletableFuture.supplyAsync(
                    () -> new AvroSerializer<PageOcr>(patient, true).serialize(topic, page));
            try (ApicurioRegistry registry = ApicurioRegistry.start(dir, port)) {
                byte[] written = inFlight.get(120, TimeUnit.SECONDS);
                assertEquals(
                        page,
                        new AvroDeserializer<>(impatient, PageOcr.class).deserialize(topic, written),
                        "the client that failed while the registry was down works now that it is up");
                assertEquals(
                        page,
                        new AvroDeserializer<>(impatient, PageOcr.class)
                                .deserialize(topic, serializer.serialize(topic, page)));
            }
        }
    }
}
