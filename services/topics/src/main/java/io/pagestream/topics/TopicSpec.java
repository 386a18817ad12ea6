package io.pagestream.topics;

import io.pagestream.avro.AvroSerde;
import io.pagestream.registry.SchemaRegistry;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One topic: its name, what its key is, the record class of its values, its partitions and its settings, and the
 * serdes of its keys and values.
 *
 * @param key describes the key (a string): {@code documentId} or {@code documentId/pageIndex}
 */
public record TopicSpec<V extends SpecificRecord>(
        String name, String key, Class<V> valueType, int partitions, Map<String, String> configs) {

    /** Largest record the broker accepts when a topic sets no limit of its own. */
    static final int BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    public NewTopic toNewTopic(short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    /** The topic's record size limit: producers set {@code max.request.size} and consumers their fetch sizes from it. */
    public int maxMessageBytes() {
        return Integer.parseInt(configs.getOrDefault(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(BROKER_DEFAULT_MAX_MESSAGE_BYTES)));
    }

    /** Every topic is keyed by a string: a document id, or on {@code documents.pages} a {@link PageKey}. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public AvroSerde<V> valueSerde(SchemaRegistry registry, boolean autoRegister) {
        return AvroSerde.specific(valueType, registry, autoRegister);
    }
}
