package io.pagestream.avro;

import io.pagestream.registry.RegistryException;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro. The writer's schema comes from the registry by the id in the record; the reader's
 * schema is the target class's (when one is given, or {@code specific.avro.reader} is true) or the writer's
 * (generic), and Avro's schema resolution bridges the two, so consumers read older and newer writers alike.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private SchemaRegistry client;
    /** The client built from the configuration, which this closes; null when given one. */
    private SchemaRegistryClient owned;

    private boolean specific;
    private final Class<T> target;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    public AvroDeserializer() {
        this.target = null;
    }

    /** Reads into {@code target} (a generated record class), or into generic records when it is null. */
    public AvroDeserializer(SchemaRegistry client, Class<T> target) {
        this.client = client;
        this.target = target;
        this.specific = target != null;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client == null) {
            AvroSerdeConfig config = AvroSerdeConfig.fromMap(configs);
            owned = new SchemaRegistryClient(config.registry());
            client = owned;
            specific = config.specificReader();
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(topic, data);
        DatumReader<T> reader = readers.computeIfAbsent(id, key -> readerFor(topic, key));
        try {
            return reader.read(
                    null,
                    DecoderFactory.get()
                            .binaryDecoder(data, WireFormat.HEADER_BYTES, data.length - WireFormat.HEADER_BYTES, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot decode record on topic " + topic + " with schema id " + id + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<T> readerFor(String topic, int id) {
        Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (RegistryException e) {
            throw new SerializationException(
                    (e.isNotFound() ? "unknown schema id " + id : "cannot fetch schema id " + id)
                            + " in a record on topic " + topic + ": " + e.getMessage(),
                    e);
        }
        if (!specific) {
            return new GenericDatumReader<>(writer, writer);
        }
        Schema reader = readerSchema(topic, writer);
        // Records are built by the loader of the target class, not the one Avro itself was loaded by: where several
        // loaders hold the generated classes (a Quarkus application under test), a record from the other loader
        // would not be the caller's type.
        SpecificData model =
                target != null ? new SpecificData(target.getClassLoader()) : SpecificData.getForSchema(reader);
        return new SpecificDatumReader<>(writer, reader, model);
    }

    private Schema readerSchema(String topic, Schema writer) {
        if (target != null) {
            return SpecificData.get().getSchema(target);
        }
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null) {
            throw new SerializationException("specific.avro.reader is true but no class " + writer.getFullName()
                    + " is on the classpath to read topic " + topic + " into");
        }
        return SpecificData.get().getSchema(generated);
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
