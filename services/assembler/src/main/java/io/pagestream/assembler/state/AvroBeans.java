package io.pagestream.assembler.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Lets Jackson read and write Avro specific records (a page's {@code PageStructure}, an answer's
 * {@code BoxPlacement}) as the plain beans they are: one property per Avro field, under the Avro field's name, enums
 * by their names. Only the two getters every specific record has beside its fields, {@code getSchema} and
 * {@code getSpecificData}, are not data and are left out. This keeps the contract's own classes in the state and in
 * the REST view instead of a parallel set of records that would have to follow every change of the schemas.
 *
 * <p>An enum symbol this build does not know (state written by a newer instance, restored by an older one during a
 * rolling upgrade or a rollback) reads as the enum's Avro default, as an Avro reader of the record would read it.
 */
public final class AvroBeans {

    @JsonIgnoreProperties({"schema", "specificData"})
    private abstract static class WithoutAvroInternals {}

    private AvroBeans() {}

    /** Adds the mix-in and the enum fallback to {@code mapper} and returns it. */
    public static ObjectMapper register(ObjectMapper mapper) {
        return mapper.addMixIn(SpecificRecordBase.class, WithoutAvroInternals.class)
                .registerModule(new SimpleModule("avro-enum-defaults").setDeserializerModifier(new EnumDefaults()));
    }

    /** Replaces Jackson's deserializer of an Avro enum that has a default; any other enum keeps Jackson's. */
    private static final class EnumDefaults extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(
                DeserializationConfig config,
                JavaType type,
                BeanDescription description,
                JsonDeserializer<?> deserializer) {
            Class<?> raw = type.getRawClass();
            if (!GenericEnumSymbol.class.isAssignableFrom(raw)) {
                return deserializer;
            }
            Enum<?>[] symbols = raw.asSubclass(Enum.class).getEnumConstants();
            String fallback = ((GenericEnumSymbol<?>) symbols[0]).getSchema().getEnumDefault();
            return fallback == null ? deserializer : new WithFallback(raw, symbols, fallback);
        }
    }

    private static final class WithFallback extends StdScalarDeserializer<Object> {
        private final Enum<?>[] symbols;
        private final Enum<?> fallback;

        WithFallback(Class<?> type, Enum<?>[] symbols, String fallback) {
            super(type);
            this.symbols = symbols;
            this.fallback = Stream.of(symbols)
                    .filter(s -> s.name().equals(fallback))
                    .findFirst()
                    .orElseThrow();
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String name = parser.getValueAsString();
            for (Enum<?> symbol : symbols) {
                if (symbol.name().equals(name)) {
                    return symbol;
                }
            }
            return fallback;
        }
    }
}
