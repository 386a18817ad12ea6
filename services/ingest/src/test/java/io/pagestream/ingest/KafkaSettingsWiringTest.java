package io.pagestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.ingest.publish.KafkaSettings;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The shell's {@code pagestream.kafka.*} settings reach every Kafka client of ingest: its producers and reader, and
 * the Kafka client extension's health check. The %test profile sets {@code security.protocol} the shell's way.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class KafkaSettingsWiringTest {

    @Inject
    Ingest ingest;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> healthCheckClient;

    @Test
    void securitySettingsReachEveryClient() {
        KafkaSettings kafka = ingest.kafka();
        for (Map<String, Object> client :
                List.of(kafka.transactionalProducer("wiring"), kafka.statusProducer(), kafka.committedReader())) {
            assertEquals("PLAINTEXT", client.get("security.protocol"), client.toString());
        }
        assertEquals("PLAINTEXT", healthCheckClient.get("security.protocol"), healthCheckClient.toString());
    }

    @Test
    void theBrokersComeFromTheShellsKey() {
        String bootstrap = ConfigProvider.getConfig().getValue(PipelineStackResource.BOOTSTRAP, String.class);
        assertEquals(bootstrap, ingest.kafka().statusProducer().get("bootstrap.servers"));
        assertEquals(bootstrap, healthCheckClient.get("bootstrap.servers"));
    }
}
