package io.pagestream.assembler.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The exact Avro binary size of a record nested in an output record. A page's structure has too many parts (blocks,
 * boxes in three units, table cells, enums, lengths) for a hand-made estimate to stay both safe and close; writing it
 * to a counter once per page costs about what writing it into the output record will.
 */
final class AvroSize {

    private AvroSize() {}

    static long of(SpecificRecord record) {
        Counter counter = new Counter();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counter, null);
        try {
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot size a " + record.getSchema().getName(), e);
        }
        return counter.bytes;
    }

    private static final class Counter extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
