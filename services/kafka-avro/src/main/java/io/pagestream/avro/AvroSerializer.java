package io.pagestream.avro;

import io.pagestream.registry.RegistryException;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@code SpecificRecord}s or {@code GenericRecord}s) in the Confluent wire format,
 * under the subject named by the topic. Usable by class name in Kafka properties (it then builds its own registry
 * client from them) or constructed around a shared client.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
    private SchemaRegistry client;
    /** The client built from the configuration, which this closes; null when given one. */
    private SchemaRegistryClient owned;

    private boolean autoRegister;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    public AvroSerializer() {}

    public AvroSerializer(SchemaRegistry client, boolean autoRegister) {
        this.client = client;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (client == null) {
            AvroSerdeConfig config = AvroSerdeConfig.fromMap(configs);
            owned = new SchemaRegistryClient(config.registry());
            client = owned;
            autoRegister = config.autoRegister();
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = record.getSchema();
        String subject = Subjects.forTopic(topic, isKey);
        int id;
        try {
            id = autoRegister ? client.register(subject, schema) : client.idOf(subject, schema);
        } catch (RegistryException e) {
            throw new SerializationException(
                    "cannot write " + schema.getFullName() + " to topic " + topic + ": "
                            + (autoRegister || !e.isNotFound()
                                    ? e.getMessage()
                                    : "the schema is not registered under subject '" + subject
                                            + "' and auto.register.schemas is false"),
                    e);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            byte[] header = new byte[WireFormat.HEADER_BYTES];
            WireFormat.writeHeader(ByteBuffer.wrap(header), id);
            out.write(header);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, s -> writerFor(record, s)).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static DatumWriter<Object> writerFor(GenericContainer record, Schema schema) {
        return record instanceof SpecificRecord ? new SpecificDatumWriter<>(schema) : new GenericDatumWriter<>(schema);
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
