package io.pagestream.worker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.worker.testing.Configs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shell's {@code pagestream.kafka.*} settings reach both of the worker's clients, beside its own. */
class KafkaClientsTest {
    static final Map<String, String> PROPERTIES = Map.of(
            "pagestream.kafka.bootstrap-servers", "kafka-0:9093",
            "pagestream.kafka.properties.\"security.protocol\"", "SASL_SSL",
            "pagestream.kafka.properties.\"sasl.mechanism\"", "SCRAM-SHA-512",
            "pagestream.registry.auto-register", "false",
            "pagestream.worker.instance-id", "worker-7",
            "pagestream.worker.kafka.group-id", "workers");

    @Test
    void securitySettingsReachTheConsumerAndTheProducer() {
        try (SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of("http://registry:8081"))) {
            KafkaClients clients = KafkaClients.of(Configs.clients(PROPERTIES), Configs.worker(PROPERTIES), registry);
            for (Map<String, Object> client : List.of(clients.consumerProperties(), clients.producerProperties())) {
                assertEquals("SASL_SSL", client.get("security.protocol"), client.toString());
                assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"), client.toString());
                assertEquals("kafka-0:9093", client.get("bootstrap.servers"), client.toString());
            }
            assertEquals("workers", clients.consumerProperties().get("group.id"));
            assertEquals("worker-7", clients.consumerProperties().get("group.instance.id"));
            assertEquals(
                    "pagestream-worker-worker-7", clients.producerProperties().get("transactional.id"));
            assertFalse(clients.autoRegisterSchemas());
        }
    }
}
