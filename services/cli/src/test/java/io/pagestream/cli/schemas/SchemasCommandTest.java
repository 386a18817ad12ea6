package io.pagestream.cli.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.avro.AvroDeserializer;
import io.pagestream.avro.AvroSerializer;
import io.pagestream.cli.CommandRun;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.topics.SchemaPolicy;
import io.pagestream.topics.SchemaPolicy.Contract;
import io.pagestream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code schemas check} and {@code register} against a fresh Apicurio registry each (the shared one of the other
 * tests holds subjects already), and a producer with auto-registration off before and after.
 */
@IntegrationTest
class SchemasCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS = "documents.status-value";
    private static final int CONTRACTS = Topics.ALL.size();
    private static final DocumentStatus COMPLETED = DocumentStatus.newBuilder()
            .setDocumentId("d1")
            .setState(DocumentState.COMPLETED)
            .setPagesDone(1)
            .setPageCount(1)
            .setAt(Instant.ofEpochMilli(1_790_000_000_000L))
            .build();

    @Test
    void aFreshRegistryServesProducersOnlyAfterRegisterAndASecondRegisterChangesNothing(@TempDir Path dir)
            throws Exception {
        try (ApicurioRegistry fresh = ApicurioRegistry.start(dir);
                SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(fresh.url()));
                AvroSerializer<DocumentStatus> producer = new AvroSerializer<>(client, false)) {
            producer.configure(Map.of(), false);
            SerializationException unregistered = assertThrows(
                    SerializationException.class, () -> producer.serialize(Topics.DOCUMENTS_STATUS.name(), COMPLETED));
            assertTrue(
                    unregistered.getMessage().contains("not registered under subject '" + STATUS + "'"),
                    unregistered.getMessage());

            CommandRun check = CommandRun.of("schemas", "check", "--registry", fresh.url(), "--json");
            assertEquals(0, check.exit(), check.err());
            JsonNode checked = JSON.readTree(check.out());
            assertEquals("ok", checked.path("result").asText());
            assertEquals(List.of(), outcomesOtherThan(checked, "would-register"));
            assertEquals(List.of(), client.subjects(), "check registers nothing");
            assertEquals(
                    SchemaExit.NOT_REGISTERED,
                    CommandRun.of("schemas", "check", "--registry", fresh.url(), "--expect-registered")
                            .exit());

            CommandRun register = CommandRun.of("schemas", "register", "--registry", fresh.url());
            assertEquals(0, register.exit(), register.err());
            assertTrue(register.out().contains(CONTRACTS + " subjects: " + CONTRACTS + " registered"), register.out());
            for (Contract contract : SchemaPolicy.contracts()) {
                assertEquals(contract.compatibility().name(), client.compatibility(contract.subject()));
                assertEquals(List.of(1), client.versions(contract.subject()), contract.subject());
                client.lookup(contract.subject(), contract.schema());
            }

            byte[] written = producer.serialize(Topics.DOCUMENTS_STATUS.name(), COMPLETED);
            try (AvroDeserializer<DocumentStatus> consumer = new AvroDeserializer<>(client, DocumentStatus.class)) {
                assertEquals(COMPLETED, consumer.deserialize(Topics.DOCUMENTS_STATUS.name(), written));
            }

            CommandRun again = CommandRun.of("schemas", "register", "--registry", fresh.url(), "--json");
            assertEquals(0, again.exit(), again.err());
            assertEquals(List.of(), outcomesOtherThan(JSON.readTree(again.out()), "unchanged"));
            assertEquals(List.of(1), client.versions(STATUS));
            CommandRun ready = CommandRun.of("schemas", "check", "--registry", fresh.url(), "--expect-registered");
            assertEquals(0, ready.exit(), ready.err());
            assertTrue(ready.out().contains(CONTRACTS + " subjects: " + CONTRACTS + " unchanged"), ready.out());
        }
    }

    /** The registry holds a version with a required field the build's contract lacks: a removed field. */
    @Test
    void aContractThatBreaksTheRegisteredVersionIsRefusedAndNothingIsRegistered(@TempDir Path dir) throws Exception {
        try (ApicurioRegistry fresh = ApicurioRegistry.start(dir);
                SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(fresh.url()))) {
            client.setCompatibility(STATUS, "FULL_TRANSITIVE");
            client.register(STATUS, withRequiredRegion(DocumentStatus.getClassSchema()));

            CommandRun register = CommandRun.of("schemas", "register", "--registry", fresh.url());
            assertEquals(SchemaExit.INCOMPATIBLE, register.exit(), register.out());
            assertTrue(register.err().contains("Refused: " + STATUS + " is incompatible"), register.err());
            assertTrue(register.err().contains("region"), "names the field: " + register.err());
            assertTrue(register.err().contains("Nothing was registered."), register.err());
            assertEquals(List.of(STATUS), client.subjects());
            assertEquals(List.of(1), client.versions(STATUS));

            CommandRun check = CommandRun.of("schemas", "check", "--registry", fresh.url(), "--json");
            assertEquals(SchemaExit.INCOMPATIBLE, check.exit(), check.out());
            JsonNode status = subject(JSON.readTree(check.out()), STATUS);
            assertEquals("incompatible", status.path("outcome").asText());
            assertTrue(status.path("reason").asText().contains("region"), status.toString());
        }
    }

    /** The next build adds a field without a default to an output other teams read: FULL_TRANSITIVE refuses it. */
    @Test
    void aNewRequiredFieldOnASharedOutputIsRefusedByCheckAndRegister(@TempDir Path dir) throws Exception {
        try (ApicurioRegistry fresh = ApicurioRegistry.start(dir);
                SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(fresh.url()))) {
            assertEquals(
                    0,
                    CommandRun.of("schemas", "register", "--registry", fresh.url())
                            .exit());
            List<Contract> next = new ArrayList<>();
            for (Contract c : SchemaPolicy.contracts()) {
                next.add(
                        c.subject().equals(STATUS)
                                ? new Contract(
                                        c.topic(), c.subject(), withRequiredRegion(c.schema()), c.compatibility())
                                : c);
            }

            CommandRun check = CommandRun.of(
                    new CommandLine(new CheckCommand(next)), "--registry", fresh.url(), "--expect-registered");
            assertEquals(SchemaExit.INCOMPATIBLE, check.exit(), check.out());
            assertTrue(check.err().contains("Would be refused: " + STATUS), check.err());

            CommandRun register =
                    CommandRun.of(new CommandLine(new RegisterCommand(next)), "--registry", fresh.url(), "--json");
            assertEquals(SchemaExit.INCOMPATIBLE, register.exit(), register.out());
            JsonNode refused = JSON.readTree(register.out());
            assertEquals("incompatible", refused.path("result").asText());
            assertTrue(subject(refused, STATUS).path("reason").asText().contains("region"), refused.toString());
            for (Contract contract : SchemaPolicy.contracts()) {
                assertEquals(List.of(1), client.versions(contract.subject()), contract.subject());
            }
        }
    }

    @Test
    void theCommandConfigFileCarriesTheRegistrySettings(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(
                dir.resolve("registry.properties"),
                "schema.registry.url=http://127.0.0.1:1/apis/ccompat/v7\nschema.registry.retries=0\n");
        CommandRun run = CommandRun.of("schemas", "check", "--command-config", config.toString());
        assertEquals(SchemaExit.FAILED, run.exit());
        assertTrue(run.err().contains("http://127.0.0.1:1/apis/ccompat/v7"), run.err());
    }

    private static Schema withRequiredRegion(Schema contract) {
        List<Schema.Field> fields = new ArrayList<>();
        contract.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("region", SchemaBuilder.builder().stringType()));
        return Schema.createRecord(contract.getName(), contract.getDoc(), contract.getNamespace(), false, fields);
    }

    private static List<String> outcomesOtherThan(JsonNode result, String outcome) {
        List<String> others = new ArrayList<>();
        result.path("subjects").forEach(s -> {
            if (!s.path("outcome").asText().equals(outcome)) {
                others.add(s.toString());
            }
        });
        assertEquals(CONTRACTS, result.path("subjects").size(), result.toString());
        return others;
    }

    private static JsonNode subject(JsonNode result, String subject) {
        for (JsonNode s : result.path("subjects")) {
            if (s.path("subject").asText().equals(subject)) {
                return s;
            }
        }
        throw new AssertionError(subject + " not in " + result);
    }
}
