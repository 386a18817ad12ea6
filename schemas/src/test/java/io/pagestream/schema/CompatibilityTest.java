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
        Contracts.TOPIC_VALUES.forEach(s -> collectUndocumented(s, undocumented, new ArrayList<>()));
        assertEquals(List.of(), undocumented);
    }

    @Test
    void oneNamespace() {
        List<String> names = new ArrayList<>();
        Contracts.TOPIC_VALUES.forEach(s -> collectNamed(s, names, new ArrayList<>()));
        assertFalse(names.isEmpty());
        names.forEach(n -> assertTrue(n.startsWith("io.pagestream.schema."), n));
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

    private static void collectUndocumented(Schema schema, List<String> out, List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                if (blank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                for (Schema.Field f : schema.getFields()) {
                    if (blank(f.doc())) {
                        out.add(schema.getFullName() + "." + f.name());
                    }
                    collectUndocumented(f.schema(), out, seen);
                }
            }
            case ENUM -> {
                if (blank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
            }
            case ARRAY -> collectUndocumented(schema.getElementType(), out, seen);
            case MAP -> collectUndocumented(schema.getValueType(), out, seen);
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, out, seen));
            default -> { }
        }
    }

    private static void collectNamed(Schema schema, List<String> out, List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                out.add(schema.getFullName());
                schema.getFields().forEach(f -> collectNamed(f.schema(), out, seen));
            }
            case ENUM, FIXED -> out.add(schema.getFullName());
            case ARRAY -> collectNamed(schema.getElementType(), out, seen);
            case MAP -> collectNamed(schema.getValueType(), out, seen);
            case UNION -> schema.getTypes().forEach(t -> collectNamed(t, out, seen));
            default -> { }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
