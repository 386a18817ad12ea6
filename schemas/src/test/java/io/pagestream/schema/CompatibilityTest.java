package io.pagestream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * BACKWARD compatibility, as the registry enforces it: a consumer built with the current schema must read every
 * record written with the previously released one. Checked here so a breaking change fails the build, not production.
 */
class CompatibilityTest {

    @Test
    void everyContractReadsWhatItsLastReleaseWrote() throws IOException {
        Map<String, Schema> released = lastRelease();
        Map<String, Schema> current =
                Contracts.TOPIC_VALUES.stream().collect(Collectors.toMap(Schema::getFullName, Function.identity()));
        assertTrue(
                current.keySet().containsAll(released.keySet()),
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

    /** FORWARD too: a consumer still built with the last release reads what the current contracts write. */
    @Test
    void everyReleasedConsumerReadsWhatTheCurrentContractsWrite() throws IOException {
        Map<String, Schema> current =
                Contracts.TOPIC_VALUES.stream().collect(Collectors.toMap(Schema::getFullName, Function.identity()));
        List<String> broken = new ArrayList<>();
        lastRelease().forEach((name, old) -> {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(old, current.get(name));
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                broken.add(name + ": " + result.getResult().getIncompatibilities());
            }
        });
        assertEquals(List.of(), broken, "released contracts that cannot read the current ones");
    }

    /** The same, on bytes: a structured page written now, read with the released PageOcr, keeps its old fields. */
    @Test
    void aReleasedConsumerReadsAStructuredPage() throws IOException {
        BoxPlacement box = new BoxPlacement(
                new BoundingBox(100d, 50d, 900d, 120d),
                new BoundingBox(80d, 50d, 720d, 120d),
                new BoundingBox(80d, 50d, 720d, 120d));
        PageOcr page = PageOcr.newBuilder()
                .setDocumentId("d1")
                .setPageIndex(2)
                .setPageCount(3)
                .setText("# Invoice")
                .setConfidence(0.9)
                .setWidth(800)
                .setHeight(1000)
                .setRun(ModelRun.newBuilder()
                        .setModelId("m")
                        .setModelVersion("v")
                        .setTiles(1)
                        .setPromptTokens(10)
                        .setGeneratedTokens(4)
                        .setPrefillMillis(1)
                        .setDecodeMillis(2)
                        .setBatchSize(1)
                        .setWorker("w")
                        .build())
                .setCompletedAt(Instant.ofEpochMilli(1_000))
                .setStructure(PageStructure.newBuilder()
                        .setMode(OcrMode.LAYOUT)
                        .setMarkdown("# Invoice")
                        .setBlocks(List.of(LayoutBlock.newBuilder()
                                .setOrder(0)
                                .setKind(BlockKind.TITLE)
                                .setLevel(1)
                                .setText("Invoice")
                                .setConfidence(0.9)
                                .setBoxes(List.of(box))
                                .build()))
                        .setSourcePage(new SourcePage(800d, 1000d, 1d))
                        .build())
                .build();
        java.io.ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<PageOcr>(PageOcr.getClassSchema()).write(page, encoder);
        encoder.flush();
        Schema released = lastRelease().get(PageOcr.getClassSchema().getFullName());
        var decoder = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null);
        GenericRecord old =
                new GenericDatumReader<GenericRecord>(PageOcr.getClassSchema(), released).read(null, decoder);
        assertEquals("# Invoice", old.get("text").toString());
        assertEquals(2, old.get("pageIndex"));
        assertEquals(800, old.get("width"));
        assertEquals(null, old.getSchema().getField("structure"), "the released reader has no such field");
    }

    @Test
    void theCheckRefusesABreakingChange() throws IOException {
        Schema old = lastRelease().get(PageOcr.getClassSchema().getFullName());
        Schema withRequiredField = withExtraField(old, false);
        Schema withDefaultedField = withExtraField(old, true);
        assertEquals(
                SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(withRequiredField, old)
                        .getType());
        assertEquals(
                SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(withDefaultedField, old)
                        .getType());
    }

    @Test
    void everyFieldAndTypeIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (Schema type : namedTypes().values()) {
            if (blank(type.getDoc())) {
                undocumented.add(type.getFullName());
            }
            if (type.getType() == Schema.Type.RECORD) {
                type.getFields().stream()
                        .filter(f -> blank(f.doc()))
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
                    .max(Comparator.comparing(
                            p -> Runtime.Version.parse(p.getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no release under " + releases));
        }
        try (Stream<Path> files = Files.list(last)) {
            return files.filter(f -> f.toString().endsWith(".avsc"))
                    .map(CompatibilityTest::parse)
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
        fields.add(new Schema.Field(
                "pageLanguage",
                Schema.create(Schema.Type.STRING),
                "BCP 47 language tag",
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
            default -> {}
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
