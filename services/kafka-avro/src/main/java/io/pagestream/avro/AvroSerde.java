package io.pagestream.avro;

import io.pagestream.registry.SchemaRegistry;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Confluent wire-format Avro as a Kafka Streams {@link Serde}, for a generated record class or generic records. */
public final class AvroSerde<T extends GenericContainer> implements Serde<T> {
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    public static <T extends SpecificRecord> AvroSerde<T> specific(
            Class<T> type, SchemaRegistry client, boolean autoRegister) {
        return new AvroSerde<>(new AvroSerializer<>(client, autoRegister), new AvroDeserializer<>(client, type));
    }

    public static AvroSerde<GenericRecord> generic(SchemaRegistry client, boolean autoRegister) {
        return new AvroSerde<>(new AvroSerializer<>(client, autoRegister), new AvroDeserializer<>(client, null));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public AvroSerializer<T> serializer() {
        return serializer;
    }

    @Override
    public AvroDeserializer<T> deserializer() {
        return deserializer;
    }
}
