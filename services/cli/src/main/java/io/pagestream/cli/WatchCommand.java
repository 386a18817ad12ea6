package io.pagestream.cli;

import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the records of the output topics, decoded through the registry (see {@link DecodingConsumer}). */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "Print documents.ocr, documents.answers and documents.status records as they arrive.")
final class WatchCommand implements Callable<Integer> {

    static final String EMBEDDED_KAFKA = "127.0.0.1:9092";
    static final String EMBEDDED_REGISTRY = "http://127.0.0.1:8081/apis/ccompat/v7";

    @Option(
            names = "--bootstrap",
            description = "Kafka bootstrap servers. Default: bootstrap.servers from --command-config, else "
                    + EMBEDDED_KAFKA + ".")
    String bootstrap;

    @Option(
            names = "--registry",
            description = "Schema registry URL. Default: schema.registry.url from --command-config, else "
                    + EMBEDDED_REGISTRY + ".")
    String registry;

    @Mixin
    CommandConfig commandConfig;

    @Option(
            names = "--topic",
            split = ",",
            description = "Topics to watch. Default: documents.ocr, documents.answers, documents.status.")
    List<String> topics = Topics.names(Topics.DOCUMENTS_OCR, Topics.DOCUMENTS_ANSWERS, Topics.DOCUMENTS_STATUS);

    @Option(names = "--from-beginning", description = "Start from the oldest records rather than new ones.")
    boolean fromBeginning;

    @Option(names = "--max-records", defaultValue = "0", description = "Exit after this many records (0: never).")
    long maxRecords;

    @Option(
            names = "--json",
            description = "One JSON object per line: {\"topic\",\"partition\",\"offset\",\"key\",\"value\"}.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        CommandConfig.Settings settings = commandConfig.load();
        try (DecodingConsumer consumer = new DecodingConsumer(
                settings.kafka(Optional.ofNullable(bootstrap), EMBEDDED_KAFKA),
                settings.registry(Optional.ofNullable(registry), EMBEDDED_REGISTRY),
                topics,
                fromBeginning)) {
            long seen = 0;
            while (maxRecords == 0 || seen < maxRecords) {
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(500))) {
                    out.println(
                            json
                                    ? RecordJson.of(record)
                                    : record.topic() + "\t" + record.key() + "\t" + record.value());
                    out.flush();
                    if (++seen == maxRecords) {
                        break;
                    }
                }
            }
        }
        return 0;
    }
}
