package io.pagestream.assembler.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Lets Jackson read and write Avro specific records (a page's {@code PageStructure}, an answer's
 * {@code BoxPlacement}) as the plain beans they are: one property per Avro field, under the Avro field's name, enums
 * by their names. Only the two getters every specific record has beside its fields, {@code getSchema} and
 * {@code getSpecificData}, are not data and are left out. This keeps the contract's own classes in the state and in
 * the REST view instead of a parallel set of records that would have to follow every change of the schemas.
 */
public final class AvroBeans {

    @JsonIgnoreProperties({"schema", "specificData"})
    private abstract static class WithoutAvroInternals {
    }

    private AvroBeans() {
    }

    /** Adds the mix-in to {@code mapper} and returns it. */
    public static ObjectMapper register(ObjectMapper mapper) {
        return mapper.addMixIn(SpecificRecordBase.class, WithoutAvroInternals.class);
    }
}
