package io.pagestream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (v7), for Avro schemas. Ids and schemas are immutable once
 * registered, so both directions are cached: a serializer asks the registry once per schema and a deserializer once
 * per id. Thread-safe.
 */
public final class SchemaRegistryClient implements SchemaRegistry, AutoCloseable {
    private final RegistryHttp http;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;

    private record SubjectSchema(String subject, Schema schema) {}

    public SchemaRegistryClient(RegistryConfig config) {
        this.http = new RegistryHttp(config);
        this.schemasById = new BoundedCache<>(config.cacheCapacity());
        this.idsBySubjectSchema = new BoundedCache<>(config.cacheCapacity());
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.get(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = http.post(
                    "registering a schema",
                    subject,
                    "/subjects/" + encode(subject) + "/versions",
                    Map.of("schema", schema.toString()));
            int id = answer.path("id").asInt();
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idsBySubjectSchema.get(new SubjectSchema(subject, schema), key -> lookup(subject, schema)
                .id());
    }

    /** The registered version of the subject that holds this schema. */
    public SubjectVersion lookup(String subject, Schema schema) {
        JsonNode answer = http.post(
                "looking up a schema", subject, "/subjects/" + encode(subject), Map.of("schema", schema.toString()));
        return version(subject, answer);
    }

    /** {@inheritDoc} From the cache after the first call. */
    @Override
    public Schema schemaById(int id) {
        return schemasById.get(id, key -> {
            JsonNode answer = http.get("fetching schema id " + id, null, "/schemas/ids/" + id);
            return parse(answer.path("schema").asText());
        });
    }

    public SubjectVersion latest(String subject) {
        return version(
                subject,
                http.get("fetching the latest version", subject, "/subjects/" + encode(subject) + "/versions/latest"));
    }

    public SubjectVersion version(String subject, int version) {
        return version(
                subject,
                http.get(
                        "fetching version " + version,
                        subject,
                        "/subjects/" + encode(subject) + "/versions/" + version));
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        http.get("listing versions", subject, "/subjects/" + encode(subject) + "/versions")
                .forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        http.get("listing subjects", null, "/subjects").forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            return http.post(
                            "checking compatibility",
                            subject,
                            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                            Map.of("schema", schema.toString()))
                    .path("is_compatible")
                    .asBoolean();
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Whether the schema may be registered as the subject's next version, tested by the registry against the versions
     * the subject's compatibility level names: every registered version for the {@code _TRANSITIVE} levels, the latest
     * for the others. The endpoint is chosen from the level because registries differ on the one without a version
     * (Confluent follows the level, Apicurio always tests every version). A subject with no versions accepts any
     * schema.
     */
    public CompatibilityVerdict checkCompatibility(String subject, Schema schema) {
        boolean transitive = Compatibility.valueOf(compatibility(subject)).transitive();
        String versions = transitive ? "/versions" : "/versions/latest";
        JsonNode answer;
        try {
            answer = http.post(
                    "checking compatibility",
                    subject,
                    "/compatibility/subjects/" + encode(subject) + versions + "?verbose=true",
                    Map.of("schema", schema.toString()));
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return new CompatibilityVerdict(true, List.of());
            }
            throw e;
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.asText()));
        return new CompatibilityVerdict(answer.path("is_compatible").asBoolean(), messages);
    }

    /**
     * The subject's compatibility level, or the global one when the subject has none of its own (asked for with
     * {@code defaultToGlobal}; registries that ignore it answer 404, which falls back the same way).
     */
    public String compatibility(String subject) {
        try {
            return http.get("reading compatibility", subject, "/config/" + encode(subject) + "?defaultToGlobal=true")
                    .path("compatibilityLevel")
                    .asText();
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return globalCompatibility();
            }
            throw e;
        }
    }

    public String globalCompatibility() {
        return http.get("reading global compatibility", null, "/config")
                .path("compatibilityLevel")
                .asText();
    }

    /** Sets the subject's compatibility level: NONE, BACKWARD, FORWARD, FULL or their _TRANSITIVE forms. */
    public void setCompatibility(String subject, String level) {
        http.put("setting compatibility", subject, "/config/" + encode(subject), Map.of("compatibility", level));
    }

    private SubjectVersion version(String subject, JsonNode answer) {
        int id = answer.path("id").asInt();
        Schema schema = schemasById.get(id, key -> parse(answer.path("schema").asText()));
        return new SubjectVersion(subject, id, answer.path("version").asInt(), schema);
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}
