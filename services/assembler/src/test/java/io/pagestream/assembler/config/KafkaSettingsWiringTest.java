package io.pagestream.assembler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.kafka.streams.runtime.KafkaStreamsProducer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The shell's {@code pagestream.kafka.*} settings reach the configuration Quarkus runs Kafka Streams with, beside the
 * assembler's own {@code kafka-streams.*}. The %test profile sets {@code security.protocol} the shell's way.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class KafkaSettingsWiringTest {

    @Inject
    KafkaStreamsProducer streams;

    @Test
    void kafkaStreamsRunsWithTheShellsSettings() {
        Map<String, Object> config = streams.getStreamsConfig().originals();
        assertEquals("PLAINTEXT", config.get("security.protocol"), config.toString());
        assertEquals(
                ConfigProvider.getConfig().getValue(PipelineStackResource.BOOTSTRAP, String.class),
                config.get("bootstrap.servers"));
        assertEquals("exactly_once_v2", config.get("processing.guarantee"), "the assembler's own setting stays");
    }
}
