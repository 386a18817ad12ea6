package io.pagestream.avro;

import io.pagestream.registry.RegistryConfig;
import io.pagestream.schema.PageOcr;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Run in a child JVM by {@link CrossProcessTest}: writes one sample page through the registry and exits. */
public final class ProduceSample {
    private ProduceSample() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String registry = args[1];
        String topic = args[2];
        String documentId = args[3];
        try (var producer = new KafkaProducer<String, PageOcr>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                AvroSerializer.class.getName(),
                RegistryConfig.URL,
                registry))) {
            producer.send(new ProducerRecord<>(topic, documentId, Samples.pageOcr(documentId, 1)))
                    .get();
        }
    }
}
