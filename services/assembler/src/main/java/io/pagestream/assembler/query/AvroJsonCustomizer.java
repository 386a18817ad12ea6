package io.pagestream.assembler.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.assembler.state.AvroBeans;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** The REST view shows pages' structures and answers' evidence as the state keeps them: Avro records as beans. */
@Singleton
public class AvroJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        AvroBeans.register(mapper);
    }
}
