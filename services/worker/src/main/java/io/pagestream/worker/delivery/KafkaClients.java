package io.pagestream.worker.delivery;

import io.pagestream.avro.AvroSerializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.shell.ClientSettings;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import io.pagestream.worker.WorkerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's Kafka clients. The consumer reads page records as bytes (decoding happens off the poll thread),
 * commits nothing itself (offsets go through the producer's transactions), reads only committed pages, and takes
 * whole page images per fetch. The producer is transactional with an id derived from the worker's instance id.
 *
 * @param common           bootstrap servers plus any SASL/TLS settings (the shell's), given to both clients
 * @param groupId          the consumer group all workers share
 * @param instanceId       this worker's stable identity
 * @param staticMembership whether to join as a static member ({@code group.instance.id})
 * @param maxPollRecords   records per poll: about one micro-batch, so a poll never overshoots the in-flight bound far
 */
public record KafkaClients(
        Map<String, Object> common,
        String groupId,
        String instanceId,
        boolean staticMembership,
        int maxPollRecords,
        SchemaRegistryClient registry,
        boolean autoRegisterSchemas) {

    public KafkaClients {
        common = Map.copyOf(common);
    }

    /** The clients of a worker: the shell's settings (brokers, security, auto-registration) and the worker's own. */
    public static KafkaClients of(ClientSettings settings, WorkerConfig config, SchemaRegistryClient registry) {
        return new KafkaClients(
                settings.kafka(),
                config.kafka().groupId(),
                config.instanceId(),
                config.kafka().staticMembership(),
                config.batch().maxPages(),
                registry,
                settings.autoRegister());
    }

    public String transactionalId() {
        return ServicePrincipal.WORKER_TRANSACTIONAL_ID_PREFIX + instanceId;
    }

    public Consumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    Map<String, Object> consumerProperties() {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        if (staticMembership) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pagestream-worker-" + instanceId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.DOCUMENTS_PAGES.maxMessageBytes());
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * Topics.DOCUMENTS_PAGES.maxMessageBytes());
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class));
        return props;
    }

    public Producer<String, SpecificRecord> producer() {
        return new KafkaProducer<>(
                producerProperties(),
                new StringSerializer(),
                new AvroSerializer<SpecificRecord>(registry, autoRegisterSchemas));
    }

    Map<String, Object> producerProperties() {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pagestream-worker-" + instanceId + "-producer");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        return props;
    }
}
