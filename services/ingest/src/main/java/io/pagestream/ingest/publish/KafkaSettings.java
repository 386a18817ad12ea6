package io.pagestream.ingest.publish;

import io.pagestream.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings of ingest, on top of the deployment's own ({@code pagestream.kafka.*}: bootstrap servers, security).
 *
 * @param common         the deployment's client properties ({@code ClientSettings.kafka()}: at least {@code
 *                       bootstrap.servers})
 * @param publishTimeout how long a send, a commit or a metadata fetch may block before the document is answered 503
 */
public record KafkaSettings(Map<String, Object> common, Duration publishTimeout) {

    public KafkaSettings {
        common = Map.copyOf(common);
    }

    /** A transactional, idempotent producer able to carry the largest page. */
    public Map<String, Object> transactionalProducer(String transactionalId) {
        Map<String, Object> p = new HashMap<>(common);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.DOCUMENTS_PAGES.maxMessageBytes());
        // Must hold one largest record; bounded so a slow broker blocks sends (back-pressure) instead of filling the
        // heap.
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.DOCUMENTS_PAGES.maxMessageBytes());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishTimeout.toMillis());
        int requestTimeout = (int) Math.min(30_000, Math.max(1000, publishTimeout.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                Math.max(requestTimeout + 5L, publishTimeout.toMillis() * 2));
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        return p;
    }

    /** An idempotent producer for REJECTED status events (no transaction: they stand alone). */
    public Map<String, Object> statusProducer() {
        Map<String, Object> p = new HashMap<>(common);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishTimeout.toMillis());
        return p;
    }

    /** A consumer reading committed records only, outside any group (it assigns partitions itself). */
    public Map<String, Object> committedReader() {
        Map<String, Object> p = new HashMap<>(common);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, publishTimeout.toMillis()));
        return p;
    }
}
