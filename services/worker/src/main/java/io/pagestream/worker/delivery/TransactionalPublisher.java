package io.pagestream.worker.delivery;

import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Consume-transform-produce in one Kafka transaction: the pages' result records and the consumer offsets past them
 * commit together or not at all ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a zombie
 * from an older group generation is fenced by the broker).
 */
public final class TransactionalPublisher implements AutoCloseable {
    private final Producer<String, SpecificRecord> producer;

    /** Takes a producer with a {@code transactional.id}; initialising it aborts what a predecessor left open. */
    public TransactionalPublisher(Producer<String, SpecificRecord> producer) {
        this.producer = producer;
        producer.initTransactions();
    }

    public void publish(
            List<ProducerRecord<String, SpecificRecord>> records,
            Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata group)
            throws DeliveryException {
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, SpecificRecord> record : records) {
                producer.send(record);
            }
            producer.sendOffsetsToTransaction(offsets, group);
            producer.commitTransaction();
        } catch (ProducerFencedException
                | InvalidProducerEpochException
                | OutOfOrderSequenceException
                | AuthorizationException
                | AuthenticationException
                | UnsupportedVersionException e) {
            throw new DeliveryException("the producer cannot go on", e, true);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abort) {
                e.addSuppressed(abort);
                throw new DeliveryException("the transaction failed and could not be aborted", e, true);
            }
            throw new DeliveryException("the transaction was aborted", e, false);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
