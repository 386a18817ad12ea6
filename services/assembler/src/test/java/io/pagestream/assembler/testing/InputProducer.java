package io.pagestream.assembler.testing;

import io.pagestream.avro.AvroSerializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageOcr;
import io.pagestream.servicetest.RegistryClients;
import io.pagestream.topics.Topics;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes what ingest and the workers would, each record to its topic keyed by its document id. */
public final class InputProducer implements AutoCloseable {
    private final SchemaRegistryClient registry;
    private final KafkaProducer<String, SpecificRecord> producer;

    public InputProducer(String bootstrapServers, String registryUrl) {
        registry = RegistryClients.of(registryUrl);
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new AvroSerializer<>(registry, true));
    }

    public void send(SpecificRecord... records) {
        for (SpecificRecord record : records) {
            ProducerRecord<String, SpecificRecord> message =
                    switch (record) {
                        case DocumentRequest r ->
                            new ProducerRecord<>(Topics.DOCUMENTS_REQUESTS.name(), r.getDocumentId(), r);
                        case PageOcr o -> new ProducerRecord<>(Topics.PAGES_OCR.name(), o.getDocumentId(), o);
                        case PageAnswers a -> new ProducerRecord<>(Topics.PAGES_ANSWERS.name(), a.getDocumentId(), a);
                        case PageFailure f -> new ProducerRecord<>(Topics.PAGES_DLQ.name(), f.getDocumentId(), f);
                        default -> throw new IllegalArgumentException("not an assembler input: " + record.getSchema());
                    };
            producer.send(message);
        }
    }

    /** Sends and waits for the broker to have it, so a test knows its records are in. */
    public void sendNow(SpecificRecord... records) {
        send(records);
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
        registry.close();
    }
}
