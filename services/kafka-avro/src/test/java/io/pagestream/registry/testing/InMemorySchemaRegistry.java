package io.pagestream.registry.testing;

import io.pagestream.registry.RegistryException;
import io.pagestream.registry.SchemaRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry in memory that answers as a Confluent-API registry does, for tests that need its answers and not
 * its wire (topology tests, serde tests): one global id per distinct schema, so the same schema under two subjects
 * has one id; versions per subject from 1; every subject BACKWARD, as the local stack's registry is set, checked
 * against the latest version; 404 for an unknown subject, schema or id and 409 for an incompatible schema, as
 * {@link RegistryException}s. {@code SchemaRegistryContract} holds it to the real client's answers. Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private static final int INCOMPATIBLE = 409;

    /** Ids by the schema's full JSON text: the form a registry compares, so a changed default is a new schema. */
    private final Map<String, Integer> ids = new HashMap<>();

    private final Map<Integer, Schema> schemas = new HashMap<>();
    /** Each subject's schema ids, version 1 first. */
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        Integer known = ids.get(schema.toString());
        List<Integer> versions = subjects.get(subject);
        if (known != null && versions != null && versions.contains(known)) {
            return known;
        }
        if (!isCompatible(subject, schema)) {
            throw new RegistryException(
                    "registering a schema",
                    subject,
                    INCOMPATIBLE,
                    INCOMPATIBLE,
                    "the schema is not BACKWARD compatible with the latest version",
                    null);
        }
        int id = ids.computeIfAbsent(schema.toString(), text -> ids.size() + 1);
        schemas.put(id, schema);
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        Integer id = ids.get(schema.toString());
        if (id == null || !versionsOf("looking up a schema", subject).contains(id)) {
            throw notFound("looking up a schema", subject, RegistryException.SCHEMA_NOT_FOUND, "schema not registered");
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw notFound("fetching schema id " + id, null, RegistryException.SCHEMA_NOT_FOUND, "no such id");
        }
        return schema;
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        int count = versionsOf("listing versions", subject).size();
        List<Integer> versions = new ArrayList<>();
        for (int v = 1; v <= count; v++) {
            versions.add(v);
        }
        return versions;
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            return true;
        }
        Schema latest = schemas.get(versions.getLast());
        return SchemaCompatibility.checkReaderWriterCompatibility(schema, latest)
                        .getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private List<Integer> versionsOf(String operation, String subject) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            throw notFound(operation, subject, RegistryException.SUBJECT_NOT_FOUND, "no such subject");
        }
        return versions;
    }

    private static RegistryException notFound(String operation, String subject, int errorCode, String detail) {
        return new RegistryException(operation, subject, 404, errorCode, detail, null);
    }
}
