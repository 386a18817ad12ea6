package io.pagestream.assembler.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.assembler.testing.Structures;
import io.pagestream.schema.BlockKind;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageStructure;
import io.pagestream.schema.StructureFlag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The page state as JSON: the contract's Avro records inside it, and values written before they were there. */
class StateSerdesTest {
    static final Serde<PageResult> PAGES = StateSerdes.pages();

    static PageResult roundTrip(PageResult page) {
        return PAGES.deserializer().deserialize("t", PAGES.serializer().serialize("t", page));
    }

    static PageStructure structure() {
        return Structures.report(7, 300)
                .flaggedParagraph("a row cut short |", StructureFlag.TRUNCATED)
                .build();
    }

    @Test
    void aPageWithItsStructureAndGroundedAnswersComesBackEqual() {
        PageResult page = new PageResult(
                7,
                new PageResult.Text("raw", 0.9, 1000, 1414, structure()),
                List.of(
                        new PageResult.Answer(0, "42", 0.8, false, Structures.box(100, 200, 300, 220)),
                        new PageResult.Answer(1, "not on this page", 0.95, true, null)),
                null);

        PageResult back = roundTrip(page);

        assertEquals(page, back, "the structure's blocks, boxes, cells, flags and source page, the answers' evidence");
        PageStructure structure = back.ocr().structure();
        assertEquals(
                List.of("Region", "Q1", "Q2", "Q3"),
                structure.getTables().get(0).getRows().get(0).stream()
                        .map(c -> c.getText())
                        .toList());
        assertEquals(
                Structures.box(100, 700, 900, 730),
                structure.getBlocks().get(4).getBoxes().get(0));
        assertEquals(List.of(StructureFlag.TRUNCATED), structure.getFlags());
    }

    @Test
    void theJsonHasTheAvroFieldNamesAndNothingOfAvrosOwn() throws IOException {
        PageResult page = new PageResult(0, new PageResult.Text("raw", 0.9, 1000, 1414, structure()), null, null);
        JsonNode json = new ObjectMapper().readTree(PAGES.serializer().serialize("t", page));

        JsonNode structure = json.path("ocr").path("structure");
        assertEquals("MARKDOWN", structure.path("mode").asText());
        JsonNode table = structure.path("blocks").path(3);
        assertEquals("TABLE", table.path("kind").asText());
        assertEquals(0, table.path("tableIndex").asInt());
        assertEquals(4, structure.path("tables").path(0).path("columns").asInt());
        assertTrue(structure
                .path("tables")
                .path(0)
                .path("rows")
                .path(0)
                .path(0)
                .path("header")
                .asBoolean());
        assertEquals(
                100.0,
                structure
                        .path("blocks")
                        .path(0)
                        .path("boxes")
                        .path(0)
                        .path("grid")
                        .path("x1")
                        .asDouble());
        assertEquals(595.28, structure.path("sourcePage").path("widthPoints").asDouble());
        assertFalse(structure.has("schema"));
        assertFalse(structure.has("specificData"));
        assertFalse(structure.path("blocks").path(0).has("schema"));
    }

    @Test
    void aValueWrittenBeforeStructuresAndGroundedAnswersStillReads() {
        // As the assembler wrote a page before issue 14 (PageResult.Text without structure, Answer without noAnswer
        // and evidence).
        String old =
                """
                {"pageIndex":3,"ocr":{"text":"text of page 3","confidence":0.9,"width":1003,"height":1403},\
                "answers":[{"questionIndex":0,"text":"answer 0 from page 3","confidence":0.5}],"failure":null}""";

        PageResult page = PAGES.deserializer().deserialize("t", old.getBytes(StandardCharsets.UTF_8));

        assertEquals(
                new PageResult(
                        3,
                        new PageResult.Text("text of page 3", 0.9, 1003, 1403, null),
                        List.of(new PageResult.Answer(0, "answer 0 from page 3", 0.5, false, null)),
                        null),
                page);
    }

    @Test
    void aValueFromANewerAssemblerWithUnknownFieldsAndSymbolsStillReads() {
        String newer =
                """
                {"pageIndex":1,"ocr":{"text":"t","confidence":0.5,"width":10,"height":20,"structure":{"mode":"SCAN",\
                "markdown":"t","blocks":[{"order":0,"kind":"SIDEBAR","level":0,"text":"t","confidence":0.5,\
                "boxes":[],"tableIndex":-1,"flags":["SMUDGED"],"rotation":90}],"tables":[],"flags":["SMUDGED"],\
                "sourcePage":null,"readingTimeMillis":12},"language":"de"},"answers":null,"failure":null}""";

        PageResult page = PAGES.deserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8));

        PageStructure structure = page.ocr().structure();
        assertEquals(OcrMode.MARKDOWN, structure.getMode(), "unknown symbols read as the Avro enum's default");
        assertEquals(BlockKind.PARAGRAPH, structure.getBlocks().get(0).getKind());
        assertEquals(
                List.of(StructureFlag.UNKNOWN), structure.getBlocks().get(0).getFlags());
        assertEquals(List.of(StructureFlag.UNKNOWN), structure.getFlags());
        assertNull(page.answers());
    }

    @Test
    void aDocumentWrittenBeforeTenantsBelongsToTheDefaultTenant() {
        String old =
                """
                {"documentId":"d","request":{"pageCount":2,"ocr":true,"qa":false,"questions":[],"metadata":{},\
                "submittedAt":1,"traceparent":null},"pagesDone":0,"lastActivityAt":1,"phase":"OPEN","closedAt":0}""";

        DocumentProgress progress =
                StateSerdes.progress().deserializer().deserialize("t", old.getBytes(StandardCharsets.UTF_8));

        assertEquals("default", progress.request().tenant());
    }
}
