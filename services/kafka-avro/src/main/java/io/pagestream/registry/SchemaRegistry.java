package io.pagestream.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * What the serdes, the topics and the services' topologies ask of a Confluent-API schema registry: ids for the
 * schemas they write, schemas for the ids they read. {@link SchemaRegistryClient} asks a real one over HTTP; tests
 * that only need the registry's answers, not its wire, use an in-memory one (kafka-avro's test fixtures). Failures are
 * {@link RegistryException}s carrying the HTTP status a Confluent registry would give (404, 409).
 */
public interface SchemaRegistry {
    /** Registers the schema under the subject (a no-op if already there) and returns its id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under the subject; a {@link RegistryException} (404) if it is not. */
    int idOf(String subject, Schema schema);

    /** The schema with this id; a {@link RegistryException} (404) if there is none. */
    Schema schemaById(int id);

    /** The subject's version numbers, oldest first. */
    List<Integer> versions(String subject);

    List<String> subjects();

    /**
     * Whether the schema may be registered as the subject's next version under the subject's compatibility level.
     * A subject with no versions accepts any schema.
     */
    boolean isCompatible(String subject, Schema schema);
}
