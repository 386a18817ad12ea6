package io.pagestream.cli;

import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the records of the output topics, decoded through the registry with the schema each was written with, so it
 * shows exactly what a consumer would receive, even from writers newer than this build.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print documents.ocr, documents.answers and documents.status records as they arrive.")
final class WatchCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Option(names = "--registry", defaultValue = "http://127.0.0.1:8081/apis/ccompat/v7", description = "Schema registry URL. Default: ${DEFAULT-VALUE}.")
    String registry;

    @Option(names = "--topic", split = ",", description = "Topics to watch. Default: documents.ocr, documents.answers, documents.status.")
    List<String> topics = List.of(Topics.DOCUMENT_OCR, Topics.DOCUMENT_ANSWERS, Topics.DOCUMENT_STATUS);

    @Option(names = "--from-beginning", description = "Start from the oldest records rather than new ones.")
    boolean fromBeginning;

    @Option(names = "--max-records", defaultValue = "0", description = "Exit after this many records (0: never).")
    long maxRecords;

    @Option(names = "--json", description = "One JSON object per line: {\"topic\",\"partition\",\"offset\",\"key\",\"value\"}.")
    boolean json;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        int maxBytes = topics.stream().mapToInt(t -> Topics.named(t).maxMessageBytes()).max().orElse(1 << 20);
        try (var client = new SchemaRegistryClient(RegistryConfig.of(registry));
                var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG, "pagestream-watch-" + UUID.randomUUID(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        // Ingest publishes in transactions: show what downstream sees, never an aborted record.
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxBytes),
                        new StringDeserializer(), new AvroDeserializer<GenericRecord>(client, null))) {
            consumer.subscribe(topics);
            long seen = 0;
            while (maxRecords == 0 || seen < maxRecords) {
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(500))) {
                    out.println(json ? asJson(record) : record.topic() + "\t" + record.key() + "\t" + record.value());
                    out.flush();
                    if (++seen == maxRecords) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    private static String asJson(ConsumerRecord<String, GenericRecord> record) {
        return "{\"topic\":\"" + record.topic() + "\",\"partition\":" + record.partition()
                + ",\"offset\":" + record.offset()
                + ",\"key\":" + (record.key() == null ? "null" : GenericData.get().toString(record.key()))
                + ",\"value\":" + GenericData.get().toString(record.value()) + "}";
    }
}
