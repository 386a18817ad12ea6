package io.pagestream.ingest.idempotency;

import io.pagestream.registry.SchemaRegistryClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro into a generated class, resolving record classes through that class's own class
 * loader. (The shared {@code AvroDeserializer} resolves them through Avro's default model, which under Quarkus'
 * class-loader split can find a second copy of the class and fail with a ClassCastException.)
 */
public final class RequestReader<T extends SpecificRecord> implements Deserializer<T> {
    private static final int HEADER_BYTES = 5;
    private final SchemaRegistryClient registry;
    private final SpecificData model;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    public RequestReader(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.model = new SpecificData(type.getClassLoader());
        this.model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        this.readerSchema = SpecificData.get().getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_BYTES || data[0] != 0) {
            throw new SerializationException("a record of " + topic + " is not in the Confluent wire format");
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        SpecificDatumReader<T> reader = readers.computeIfAbsent(id,
                k -> new SpecificDatumReader<>(registry.schemaById(k), readerSchema, model));
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(data, HEADER_BYTES,
                    data.length - HEADER_BYTES, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a record of " + topic + " (schema id " + id + "): " + e, e);
        }
    }
}
