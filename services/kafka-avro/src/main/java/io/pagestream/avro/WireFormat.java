package io.pagestream.avro;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then Avro binary. */
final class WireFormat {
    static final byte MAGIC = 0;
    static final int HEADER_BYTES = 5;

    private WireFormat() {}

    static int schemaId(String topic, byte[] data) {
        if (data.length < HEADER_BYTES) {
            throw new SerializationException("record on topic " + topic + " has " + data.length
                    + " bytes: too short for the Confluent wire format (magic byte and 4-byte schema id)");
        }
        if (data[0] != MAGIC) {
            throw new SerializationException(String.format(
                    "record on topic %s starts with magic byte 0x%02x, not 0x00: it was not written in the Confluent "
                            + "wire format (Avro with a registry schema id)",
                    topic, data[0]));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }

    static void writeHeader(ByteBuffer out, int schemaId) {
        out.put(MAGIC).putInt(schemaId);
    }
}
