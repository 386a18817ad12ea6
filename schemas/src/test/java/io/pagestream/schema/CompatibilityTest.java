package io.pagestream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * BACKWARD compatibility, as the registry enforces it: a consumer built with the current schema must read every
 * record written with the previously released one. Checked here so a breaking change fails the build, not production.
 */
class CompatibilityTest {

    @Test
    void everyContractReadsWhatItsLastReleaseWrote() throws IOException {
        Map<String, Schema> released = lastRelease();
        Map<String, Schema> current = Contracts.TOPIC_VALUES.stream()
                .collect(Collectors.toMap(Schema::getFullName, Function.identity()));
        assertTrue(current.keySet().containsAll(released.keySet()),
                "a released contract was removed: " + released.keySet() + " vs " + current.keySet());
        List<String> broken = new ArrayList<>();
        released.forEach((name, old) -> {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current.get(name), old);
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                broken.add(name + ": " + result.getResult().getIncompatibilities());
            }
        });
        assertEquals(List.of(), broken, "contracts that cannot read their last release");
    }

    @Test
    void theCheckRefusesABreakingChange() throws IOException {
        Schema old = lastRelease().get(PageOcr.getClassSchema().getFullName());
        Schema withRequiredField = withExtraField(old, false);
        Schema withDefaultedField = withExtraField(old, true);
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(withRequiredField, old).getType());
        assertEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(withDefaultedField, old).getType());
    }

    @Test
    void everyFieldAndTypeIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (Schema type : namedTypes().values()) {
            if (blank(type.getDoc())) {
                undocumented.add(type.getFullName());
            }
            if (type.getType() == Schema.Type.RECORD) {
                type.getFields().stream().filter(f -> blank(f.doc()))
                        .forEach(f -> undocumented.add(type.getFullName() + "." + f.name()));
            }
        }
        assertEquals(List.of(), undocumented);
    }

    @Test
    void oneNamespace() {
        Map<String, Schema> types = namedTypes();
        assertFalse(types.isEmpty());
        types.keySet().forEach(n -> assertTrue(n.startsWith("io.pagestream.schema."), n));
    }

    private static Map<String, Schema> lastRelease() throws IOException {
        Path releases = Path.of(System.getProperty("pagestream.schemas.released", "released"));
        Path last;
        try (Stream<Path> dirs = Files.list(releases)) {
            last = dirs.filter(Files::isDirectory)
                    .max(Comparator.comparing(p -> Runtime.Version.parse(p.getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no release under " + releases));
        }
        try (Stream<Path> files = Files.list(last)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).map(CompatibilityTest::parse)
                    .collect(Collectors.toMap(Schema::getFullName, Function.identity()));
        }
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }

    private static Schema withExtraField(Schema record, boolean withDefault) {
        List<Schema.Field> fields = new ArrayList<>();
        record.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        Object noDefault = null;
        fields.add(new Schema.Field("pageLanguage", Schema.create(Schema.Type.STRING), "BCP 47 language tag",
                withDefault ? "und" : noDefault));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    /** Every record and enum reachable from the topic contracts, by full name. */
    private static Map<String, Schema> namedTypes() {
        Map<String, Schema> found = new TreeMap<>();
        Contracts.TOPIC_VALUES.forEach(s -> collect(s, found));
        return found;
    }

    private static void collect(Schema schema, Map<String, Schema> found) {
        switch (schema.getType()) {
            case RECORD -> {
                if (found.putIfAbsent(schema.getFullName(), schema) == null) {
                    schema.getFields().forEach(f -> collect(f.schema(), found));
                }
            }
            case ENUM, FIXED -> found.put(schema.getFullName(), schema);
            case ARRAY -> collect(schema.getElementType(), found);
            case MAP -> collect(schema.getValueType(), found);
            case UNION -> schema.getTypes().forEach(t -> collect(t, found));
            default -> { }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
