package io.pagestream.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.RegistryConfig;
import io.pagestream.schema.PageOcr;
import io.pagestream.stack.ChildProcess;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The contract between processes: one JVM writes through the registry, another reads the same record back. */
@IntegrationTest
class CrossProcessTest {
    static final String TOPIC = "crossprocess.pages.ocr";

    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)));

    @Test
    void aRecordWrittenByAnotherProcessIsReadHere(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("producer.log");
        Process producer = new ProcessBuilder(
                        ChildProcess.javaExecutable(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProduceSample.class.getName(),
                        STACK.bootstrapServers(),
                        STACK.registryUrl(),
                        TOPIC,
                        "doc-x")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(producer.waitFor(90, TimeUnit.SECONDS), "producer process did not finish");
        assertEquals(0, producer.exitValue(), Files.readString(log));
        assertTrue(producer.pid() != ProcessHandle.current().pid());

        List<PageOcr> received;
        try (var consumer = new KafkaConsumer<String, PageOcr>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "cross-process",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName(),
                RegistryConfig.URL, STACK.registryUrl(),
                AvroSerdeConfig.SPECIFIC_READER, true))) {
            received = Records.values(consumer, List.of(TOPIC), 1, Duration.ofSeconds(30));
        }
        assertEquals(List.of(Samples.pageOcr("doc-x", 1)), received);
    }
}
