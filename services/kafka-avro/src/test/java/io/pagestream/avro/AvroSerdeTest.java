package io.pagestream.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.RegistryException;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.registry.testing.InMemorySchemaRegistry;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageOcr;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/**
 * The serdes' rules on the in-memory registry, which answers as a Confluent registry does; {@link AvroSerdeWireTest}
 * takes records through a real broker and Apicurio.
 */
class AvroSerdeTest {
    final SchemaRegistry client = new InMemorySchemaRegistry();

    static String topic() {
        return "t-" + UUID.randomUUID();
    }

    @Test
    void genericRecordsRoundTripAndCarryTheWriterSchema() {
        String topic = topic();
        Schema schema = SchemaBuilder.record("Meter")
                .namespace("test.serde")
                .fields()
                .requiredString("id")
                .optionalDouble("reading")
                .endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "m-7");
        record.put("reading", 12.5);
        AvroSerde<GenericRecord> serde = AvroSerde.generic(client, true);
        byte[] bytes = serde.serializer().serialize(topic, record);
        assertEquals(0, bytes[0]);
        assertEquals(
                client.idOf(topic + "-value", schema),
                ByteBuffer.wrap(bytes, 1, 4).getInt());
        GenericRecord back = serde.deserializer().deserialize(topic, bytes);
        assertEquals("m-7", back.get("id").toString());
        assertEquals(12.5, back.get("reading"));
    }

    @Test
    void aSpecificReaderReadsAnOlderWriter() {
        String topic = topic();
        Schema older = SchemaBuilder.record("DocumentStatus")
                .namespace("io.pagestream.schema")
                .fields()
                .requiredString("documentId")
                .name("state")
                .type(DocumentState.getClassSchema())
                .noDefault()
                .name("at")
                .type(org.apache.avro.LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
                .noDefault()
                .endRecord();
        GenericRecord old = new GenericData.Record(older);
        old.put("documentId", "doc-9");
        old.put("state", new GenericData.EnumSymbol(DocumentState.getClassSchema(), "COMPLETED"));
        old.put("at", 1_790_000_000_000L);
        byte[] bytes = AvroSerde.generic(client, true).serializer().serialize(topic, old);
        DocumentStatus read = AvroSerde.specific(DocumentStatus.class, client, true)
                .deserializer()
                .deserialize(topic, bytes);
        assertEquals("doc-9", read.getDocumentId());
        assertEquals(DocumentState.COMPLETED, read.getState());
        assertEquals(Instant.ofEpochMilli(1_790_000_000_000L), read.getAt());
        assertEquals(List.of(), read.getMissingPages(), "fields the old writer lacked take their defaults");
    }

    @Test
    void aWrongMagicByteIsAClearErrorAndTheNextRecordStillReads() {
        String topic = topic();
        AvroSerde<PageOcr> serde = AvroSerde.specific(PageOcr.class, client, true);
        byte[] good = serde.serializer().serialize(topic, Samples.pageOcr("doc-2", 0));
        byte[] bad = good.clone();
        bad[0] = 1;
        SerializationException e = assertThrows(
                SerializationException.class, () -> serde.deserializer().deserialize(topic, bad));
        assertTrue(e.getMessage().contains("magic byte 0x01") && e.getMessage().contains(topic), e.getMessage());
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize(topic, new byte[] {0, 0}));
        assertEquals(Samples.pageOcr("doc-2", 0), serde.deserializer().deserialize(topic, good));
    }

    @Test
    void anUnknownSchemaIdIsAClearError() {
        String topic = topic();
        AvroSerde<PageOcr> serde = AvroSerde.specific(PageOcr.class, client, true);
        byte[] bytes = serde.serializer().serialize(topic, Samples.pageOcr("doc-3", 1));
        ByteBuffer.wrap(bytes, 1, 4).putInt(987_654_321);
        SerializationException e = assertThrows(
                SerializationException.class, () -> serde.deserializer().deserialize(topic, bytes));
        assertTrue(e.getMessage().contains("unknown schema id 987654321"), e.getMessage());
        assertInstanceOf(RegistryException.class, e.getCause());
    }

    @Test
    void withAutoRegisterOffTheSchemaMustBeRegisteredFirst() {
        String topic = topic();
        PageOcr page = Samples.pageOcr("doc-4", 0);
        AvroSerializer<PageOcr> strict = new AvroSerializer<>(client, false);
        SerializationException e = assertThrows(SerializationException.class, () -> strict.serialize(topic, page));
        assertTrue(
                e.getMessage().contains("'" + topic + "-value'")
                        && e.getMessage().contains("auto.register.schemas"),
                e.getMessage());
        int id = client.register(topic + "-value", PageOcr.getClassSchema());
        byte[] bytes = strict.serialize(topic, page);
        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void anIncompatibleWriterSchemaIsRefused() {
        String topic = topic();
        Schema v1 = SchemaBuilder.record("Meter")
                .namespace("test.serde")
                .fields()
                .requiredString("id")
                .endRecord();
        Schema v2 = SchemaBuilder.record("Meter")
                .namespace("test.serde")
                .fields()
                .requiredString("id")
                .requiredInt("scale")
                .endRecord();
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(client, true);
        GenericRecord first = new GenericData.Record(v1);
        first.put("id", "a");
        serializer.serialize(topic, first);
        GenericRecord second = new GenericData.Record(v2);
        second.put("id", "b");
        second.put("scale", 3);
        SerializationException e =
                assertThrows(SerializationException.class, () -> serializer.serialize(topic, second));
        RegistryException cause = assertInstanceOf(RegistryException.class, e.getCause());
        assertEquals(409, cause.status());
        assertEquals(topic + "-value", cause.subject());
    }

    @Test
    void worksAsAKafkaStreamsSerde() {
        String in = topic();
        String out = topic();
        AvroSerde<PageOcr> pages = AvroSerde.specific(PageOcr.class, client, true);
        AvroSerde<DocumentStatus> statuses = AvroSerde.specific(DocumentStatus.class, client, true);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), pages))
                .mapValues(p -> DocumentStatus.newBuilder()
                        .setDocumentId(p.getDocumentId())
                        .setState(DocumentState.ACCEPTED)
                        .setPageCount(p.getPageCount())
                        .setAt(p.getCompletedAt())
                        .build())
                .to(out, Produced.with(Serdes.String(), statuses));
        var props = new java.util.Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "serde-topology");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (var driver = new TopologyTestDriver(builder.build(), props)) {
            var input = driver.createInputTopic(in, Serdes.String().serializer(), pages.serializer());
            var output = driver.createOutputTopic(out, Serdes.String().deserializer(), statuses.deserializer());
            input.pipeInput("doc-5", Samples.pageOcr("doc-5", 1));
            DocumentStatus status = output.readValue();
            assertEquals("doc-5", status.getDocumentId());
            assertEquals(3, status.getPageCount());
        }
        assertArrayEquals(new Integer[] {1}, client.versions(out + "-value").toArray(new Integer[0]));
    }
}
