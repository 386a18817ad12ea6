package io.pagestream.assembler.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.registry.RegistryException;
import io.pagestream.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.DeserializationHandlerResponse;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.junit.jupiter.api.Test;

/** Skip what can never be read; stop on what could not be read because the registry did not answer. */
class SkipCorruptRecordsTest {
    static final ConsumerRecord<byte[], byte[]> RECORD =
            new ConsumerRecord<>(Topics.PAGES_OCR.name(), 0, 42, null, new byte[3]);

    static DeserializationHandlerResponse handle(Exception e) {
        return new SkipCorruptRecords().handle((ErrorHandlerContext) null, RECORD, e);
    }

    @Test
    void skipsRecordsThatAreNotOursOrNameAnUnknownSchema() {
        assertEquals(DeserializationHandlerResponse.CONTINUE, handle(new SerializationException("unknown magic byte")));
        assertEquals(
                DeserializationHandlerResponse.CONTINUE,
                handle(new SerializationException(
                        "unknown schema id 9",
                        new RegistryException("fetching schema id 9", null, 404, 40403, "not found", null))));
    }

    @Test
    void stopsWhenTheRegistryCouldNotBeAsked() {
        assertEquals(
                DeserializationHandlerResponse.FAIL,
                handle(new SerializationException(
                        "cannot fetch schema id 9",
                        new RegistryException("fetching schema id 9", null, 0, 0, "connection refused", null))));
        assertEquals(
                DeserializationHandlerResponse.FAIL,
                handle(new SerializationException(
                        "cannot fetch schema id 9",
                        new RegistryException("fetching schema id 9", null, 503, 0, "unavailable", null))));
    }
}
