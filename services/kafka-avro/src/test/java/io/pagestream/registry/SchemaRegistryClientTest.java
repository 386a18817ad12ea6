package io.pagestream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a real Apicurio registry speaking the Confluent API: the contract, and what only the client does. */
@IntegrationTest
class SchemaRegistryClientTest extends SchemaRegistryContract {
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.registryOnly();

    static SchemaRegistryClient client;

    @BeforeAll
    static void connect() {
        client = new SchemaRegistryClient(RegistryConfig.of(STACK.registryUrl()));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Override
    SchemaRegistry registry() {
        return client;
    }

    @Test
    void registersLooksUpAndFetchesById() {
        String subject = subject();
        int id = client.register(subject, V1);
        assertEquals(id, client.register(subject, V1), "registering the same schema again gives the same id");
        assertEquals(id, client.idOf(subject, V1));

        SubjectVersion found = client.lookup(subject, V1);
        assertEquals(new SubjectVersion(subject, id, 1, found.schema()), found);
        assertEquals(
                SchemaNormalization.parsingFingerprint64(V1), SchemaNormalization.parsingFingerprint64(found.schema()));

        try (var fresh = new SchemaRegistryClient(RegistryConfig.of(STACK.registryUrl()))) {
            Schema byId = fresh.schemaById(id);
            assertEquals(SchemaNormalization.parsingFingerprint64(V1), SchemaNormalization.parsingFingerprint64(byId));
        }
        assertEquals(1, client.latest(subject).version());
        assertEquals(List.of(1), client.versions(subject));
        assertTrue(client.subjects().contains(subject));
    }

    @Test
    void refusesAnIncompatibleSchemaAndAcceptsACompatibleOne() {
        String subject = subject();
        int v1 = client.register(subject, V1);
        assertEquals("BACKWARD", client.compatibility(subject));

        assertFalse(client.isCompatible(subject, V2_REQUIRED_FIELD));
        RegistryException refused =
                assertThrows(RegistryException.class, () -> client.register(subject, V2_REQUIRED_FIELD));
        assertEquals(409, refused.status());
        assertEquals(subject, refused.subject());
        assertTrue(
                refused.getMessage().contains(subject) && refused.getMessage().contains("409"), refused.getMessage());

        assertTrue(client.isCompatible(subject, V2_DEFAULTED_FIELD));
        int v2 = client.register(subject, V2_DEFAULTED_FIELD);
        assertNotEquals(v1, v2);
        assertEquals(List.of(1, 2), client.versions(subject));
        assertEquals(v2, client.latest(subject).id());
        assertEquals(v1, client.version(subject, 1).id());
    }

    /** V2_REQUIRED_FIELD reads the latest (defaulted) version's data but not V1's: only a transitive level sees it. */
    @Test
    void checksAgainstEveryVersionATransitiveLevelNames() {
        String subject = subject();
        client.setCompatibility(subject, Compatibility.FULL.name());
        client.register(subject, V1);
        client.register(subject, V2_DEFAULTED_FIELD);
        assertEquals(new CompatibilityVerdict(true, List.of()), client.checkCompatibility(subject, V2_REQUIRED_FIELD));

        client.setCompatibility(subject, Compatibility.FULL_TRANSITIVE.name());
        assertFalse(client.checkCompatibility(subject, V2_REQUIRED_FIELD).compatible());
        assertTrue(client.checkCompatibility(subject, V2_DEFAULTED_FIELD).compatible());
        assertTrue(client.checkCompatibility(subject(), V2_REQUIRED_FIELD).compatible(), "a new subject takes any");
    }

    @Test
    void readsAndWritesSubjectConfig() {
        String subject = subject();
        client.register(subject, V1);
        assertEquals("BACKWARD", client.globalCompatibility());
        client.setCompatibility(subject, "NONE");
        assertEquals("NONE", client.compatibility(subject));
        assertTrue(client.isCompatible(subject, V2_REQUIRED_FIELD), "NONE accepts anything");
        client.register(subject, V2_REQUIRED_FIELD);
        client.setCompatibility(subject, "FULL");
        assertEquals("FULL", client.compatibility(subject));
    }

    @Test
    void namesTheMissingSubjectAndId() {
        String subject = subject();
        RegistryException noSubject = assertThrows(RegistryException.class, () -> client.lookup(subject, V1));
        assertEquals(404, noSubject.status());
        assertEquals(RegistryException.SUBJECT_NOT_FOUND, noSubject.errorCode());
        assertTrue(noSubject.getMessage().contains(subject), noSubject.getMessage());

        RegistryException noId = assertThrows(RegistryException.class, () -> client.schemaById(987_654_321));
        assertEquals(404, noId.status());
        assertEquals(RegistryException.SCHEMA_NOT_FOUND, noId.errorCode());
    }
}
