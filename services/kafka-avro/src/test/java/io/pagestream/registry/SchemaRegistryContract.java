package io.pagestream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * The answers a {@link SchemaRegistry} gives, the same whether it is a real registry behind
 * {@link SchemaRegistryClient} ({@link SchemaRegistryClientTest}, on Apicurio) or the in-memory one the topology
 * tests use ({@code InMemorySchemaRegistryTest}): what holds here for both is what those tests may rely on.
 */
abstract class SchemaRegistryContract {
    static final Schema V1 = SchemaBuilder.record("Reading")
            .namespace("test.registry")
            .fields()
            .requiredString("meter")
            .requiredLong("value")
            .endRecord();
    static final Schema V2_REQUIRED_FIELD = SchemaBuilder.record("Reading")
            .namespace("test.registry")
            .fields()
            .requiredString("meter")
            .requiredLong("value")
            .requiredString("unit")
            .endRecord();
    static final Schema V2_DEFAULTED_FIELD = SchemaBuilder.record("Reading")
            .namespace("test.registry")
            .fields()
            .requiredString("meter")
            .requiredLong("value")
            .name("unit")
            .type()
            .stringType()
            .stringDefault("kWh")
            .endRecord();

    /** The registry under test, with BACKWARD compatibility for new subjects. */
    abstract SchemaRegistry registry();

    static String subject() {
        return "readings-" + UUID.randomUUID() + "-value";
    }

    @Test
    void registersOnceAndGivesTheSchemaBackById() {
        String subject = subject();
        int id = registry().register(subject, V1);
        assertEquals(id, registry().register(subject, V1), "registering the same schema again gives the same id");
        assertEquals(id, registry().idOf(subject, V1));
        assertEquals(
                SchemaNormalization.parsingFingerprint64(V1),
                SchemaNormalization.parsingFingerprint64(registry().schemaById(id)));
        assertEquals(List.of(1), registry().versions(subject));
        assertTrue(registry().subjects().contains(subject));
    }

    @Test
    void theSameSchemaUnderTwoSubjectsHasOneId() {
        Schema schema = SchemaBuilder.record(
                        "Shared" + UUID.randomUUID().toString().replace("-", ""))
                .namespace("test.registry")
                .fields()
                .requiredString("id")
                .endRecord();
        String first = subject();
        String second = subject();
        assertEquals(registry().register(first, schema), registry().register(second, schema));
        assertEquals(List.of(1), registry().versions(second), "a version of its own in each subject");
    }

    @Test
    void refusesAnIncompatibleSchemaWith409AndAddsACompatibleOneAsTheNextVersion() {
        String subject = subject();
        int v1 = registry().register(subject, V1);

        assertFalse(registry().isCompatible(subject, V2_REQUIRED_FIELD));
        RegistryException refused =
                assertThrows(RegistryException.class, () -> registry().register(subject, V2_REQUIRED_FIELD));
        assertEquals(409, refused.status());
        assertEquals(subject, refused.subject());

        assertTrue(registry().isCompatible(subject, V2_DEFAULTED_FIELD));
        int v2 = registry().register(subject, V2_DEFAULTED_FIELD);
        assertNotEquals(v1, v2);
        assertEquals(List.of(1, 2), registry().versions(subject));
        assertEquals(v1, registry().idOf(subject, V1), "older versions stay");
    }

    @Test
    void aNewSubjectAcceptsAnySchema() {
        assertTrue(registry().isCompatible(subject(), V2_REQUIRED_FIELD));
    }

    @Test
    void unknownSubjectsSchemasAndIdsAre404() {
        String subject = subject();
        RegistryException noSubject =
                assertThrows(RegistryException.class, () -> registry().idOf(subject, V1));
        assertTrue(noSubject.isNotFound(), noSubject.getMessage());
        assertEquals(subject, noSubject.subject());
        assertTrue(assertThrows(RegistryException.class, () -> registry().versions(subject))
                .isNotFound());

        registry().register(subject, V1);
        assertTrue(assertThrows(RegistryException.class, () -> registry().idOf(subject, V2_DEFAULTED_FIELD))
                .isNotFound());

        RegistryException noId =
                assertThrows(RegistryException.class, () -> registry().schemaById(987_654_321));
        assertTrue(noId.isNotFound());
        assertEquals(RegistryException.SCHEMA_NOT_FOUND, noId.errorCode());
    }
}
