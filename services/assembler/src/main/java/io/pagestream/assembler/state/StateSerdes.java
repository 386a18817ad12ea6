package io.pagestream.assembler.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.kafka.client.serialization.ObjectMapperSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes of the assembler's own state. The state is private to the assembler and changes with its code, so it is
 * JSON of the records above rather than a registered contract; unknown fields are ignored so that a newer instance's
 * changelog can be restored by an older one during a rolling upgrade. A page's structure and an answer's evidence are
 * kept as the contract's Avro records, written as plain JSON objects ({@link AvroBeans}); a value written before they
 * existed reads with them null.
 */
public final class StateSerdes {
    private static final ObjectMapper MAPPER =
            AvroBeans.register(new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false));

    private StateSerdes() {}

    public static Serde<DocumentProgress> progress() {
        return new ObjectMapperSerde<>(DocumentProgress.class, MAPPER);
    }

    public static Serde<PageResult> pages() {
        return new ObjectMapperSerde<>(PageResult.class, MAPPER);
    }
}
