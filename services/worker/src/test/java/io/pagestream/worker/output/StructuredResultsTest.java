package io.pagestream.worker.output;

import static io.pagestream.worker.testing.ModelOutputs.LAYOUT;
import static io.pagestream.worker.testing.ModelOutputs.LAYOUT_MARKDOWN;
import static io.pagestream.worker.testing.ModelOutputs.assertBox;
import static io.pagestream.worker.testing.ModelOutputs.assertOnA4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.schema.Answer;
import io.pagestream.schema.BlockKind;
import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.LayoutBlock;
import io.pagestream.schema.LayoutTable;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.schema.PageStructure;
import io.pagestream.schema.SourcePage;
import io.pagestream.schema.StructureFlag;
import io.pagestream.schema.TableCell;
import io.pagestream.structure.BlockType;
import io.pagestream.structure.Flag;
import io.pagestream.topics.Topics;
import io.pagestream.worker.model.ModelIdentity;
import io.pagestream.worker.model.PromptSpec;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.ScriptedEngine;
import io.pagestream.worker.testing.ScriptedEngine.Reply;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The results of scripted model outputs, as the contracts carry them: the OCR text parsed into blocks, tables and
 * boxes in the page's mode, boxes placed in pixels and points of the page, malformed output flagged, answers read
 * without tags with their evidence, and no-answers recognised.
 */
class StructuredResultsTest {
    private static final float LOGPROB = -0.1f;
    private static final double CONFIDENCE = Math.exp(LOGPROB);
    private static final double SCALE = Pages.A4.getRenderScale();

    private static final Prompts PROMPTS = Prompts.of(Configs.worker(Map.of()).prompts());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    private final ResultMapper mapper =
            new ResultMapper(new ModelIdentity("test", "v1"), "w1", CLOCK, new AnswerReader(0.2, "Not on this page."));

    /** The page's records when the model wrote {@code ocr} for its OCR prompt and {@code answers} in order. */
    private List<OutputRecord> map(PageImage page, Reply ocr, Reply... answers) {
        List<PromptResult> results = new ArrayList<>();
        int answer = 0;
        for (PromptSpec spec : PROMPTS.forPage(page)) {
            Reply reply = spec.kind() == PromptSpec.Kind.OCR ? ocr : answers[answer++];
            results.add(new PromptResult(spec, ScriptedEngine.result(new int[8], reply, FinishReason.STOP), 0));
        }
        return mapper.map(page, 1, 1, results, List.of());
    }

    private static <T> T value(List<OutputRecord> records, String topic, Class<T> type) {
        return records.stream()
                .filter(r -> r.topic().equals(topic))
                .map(r -> type.cast(r.value()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + topic + " record"));
    }

    private PageStructure ocr(PageImage page, String raw) {
        PageOcr ocr = value(map(page, new Reply(raw, LOGPROB)), Topics.PAGES_OCR.name(), PageOcr.class);
        assertEquals(raw, ocr.getText(), "the text stays as the model wrote it");
        assertEquals(page.getOcrMode(), ocr.getStructure().getMode());
        return ocr.getStructure();
    }

    private static PageImage a4(OcrMode mode, String... questions) {
        return Pages.a4("doc", 0, 1, new byte[0], mode, List.of(questions), true);
    }

    private static List<List<String>> cells(LayoutTable table) {
        return table.getRows().stream()
                .map(row -> row.stream().map(TableCell::getText).toList())
                .toList();
    }

    @Test
    void layoutOutputBecomesBlocksInReadingOrderWithBoxesInPixelsAndPoints() {
        // Written bottom-up: the regions' boxes, not the model's order, decide the reading order.
        String[] regions = LAYOUT.split("\n(?=<ref>)");
        String reversed = String.join("\n", regions[3], regions[2], regions[1], regions[0]);
        PageStructure s = ocr(a4(OcrMode.LAYOUT), reversed);

        assertEquals(LAYOUT_MARKDOWN, s.getMarkdown());
        assertEquals(
                List.of(BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH, BlockKind.TABLE),
                s.getBlocks().stream().map(LayoutBlock::getKind).toList());
        List<LayoutBlock> blocks = s.getBlocks();
        assertEquals("Quarterly results", blocks.get(0).getText());
        assertEquals(2, blocks.get(0).getLevel());
        assertEquals("Costs stayed flat, so the margin rose.", blocks.get(2).getText());
        assertEquals(
                "Region\tQ1\tQ2\tQ3\nNorth\t10\t12\t14\nSouth\t8\t9\t11",
                blocks.get(3).getText());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(i, blocks.get(i).getOrder());
            assertEquals(CONFIDENCE, blocks.get(i).getConfidence(), 1e-9);
            assertEquals(List.of(), blocks.get(i).getFlags());
            assertEquals(1, blocks.get(i).getBoxes().size());
            assertEquals(i == 3 ? 0 : -1, blocks.get(i).getTableIndex());
        }
        assertOnA4(100, 50, 900, 120, blocks.get(0).getBoxes().getFirst());
        assertOnA4(100, 150, 900, 250, blocks.get(1).getBoxes().getFirst());
        assertOnA4(100, 270, 900, 360, blocks.get(2).getBoxes().getFirst());
        assertOnA4(100, 400, 900, 600, blocks.get(3).getBoxes().getFirst());
        assertBox(124, 87.65, 1116, 210.36, blocks.get(0).getBoxes().getFirst().getPixels());
        assertBox(
                59.52,
                42.072,
                535.68,
                100.9728,
                blocks.get(0).getBoxes().getFirst().getPoints());

        assertEquals(1, s.getTables().size());
        LayoutTable table = s.getTables().getFirst();
        assertEquals(4, table.getColumns());
        assertEquals(
                List.of(
                        List.of("Region", "Q1", "Q2", "Q3"),
                        List.of("North", "10", "12", "14"),
                        List.of("South", "8", "9", "11")),
                cells(table));
        assertTrue(table.getRows().getFirst().stream().allMatch(TableCell::getHeader));
        assertTrue(table.getRows().get(1).stream().noneMatch(TableCell::getHeader));
        assertEquals(List.of(), s.getFlags());
        assertEquals(Pages.A4, s.getSourcePage());
    }

    @Test
    void markdownOutputKeepsPipeAndHtmlTablesAsCells() {
        String raw =
                """
                # Invoice 2024-117

                Billed to ACME GmbH.

                | Item | Qty | Price |
                |:---|---:|---:|
                | Paper | 2 | 4.50 |
                | Toner | 1 | 39.00 |

                <table><tr><th>Tax</th><th>Rate</th></tr><tr><td colspan="2">exempt</td></tr></table>""";
        PageStructure s = ocr(a4(OcrMode.MARKDOWN), raw);

        assertEquals(
                List.of(BlockKind.TITLE, BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.TABLE),
                s.getBlocks().stream().map(LayoutBlock::getKind).toList());
        assertEquals("Invoice 2024-117", s.getBlocks().getFirst().getText());
        assertEquals(
                List.of(-1, -1, 0, 1),
                s.getBlocks().stream().map(LayoutBlock::getTableIndex).toList());
        assertTrue(s.getBlocks().stream().allMatch(b -> b.getBoxes().isEmpty()), "nothing was grounded");

        LayoutTable pipe = s.getTables().get(0);
        assertEquals(3, pipe.getColumns());
        assertEquals(
                List.of(List.of("Item", "Qty", "Price"), List.of("Paper", "2", "4.50"), List.of("Toner", "1", "39.00")),
                cells(pipe));
        LayoutTable html = s.getTables().get(1);
        assertEquals(2, html.getColumns());
        assertEquals(List.of(List.of("Tax", "Rate"), List.of("exempt")), cells(html));
        assertTrue(html.getRows().getFirst().stream().allMatch(TableCell::getHeader));
        TableCell spanning = html.getRows().get(1).getFirst();
        assertEquals(2, spanning.getColSpan());
        assertEquals(1, spanning.getRowSpan());
        assertFalse(spanning.getHeader());
        assertTrue(s.getMarkdown().contains("| Item | Qty | Price |\n| :--- | ---: | ---: |"), s.getMarkdown());
        assertTrue(s.getMarkdown().contains("<td colspan=\"2\">exempt</td>"), "spans stay HTML: " + s.getMarkdown());
        assertEquals(List.of(), s.getFlags());
    }

    @Test
    void textOutputIsParagraphsWithTagsLeftAsWritten() {
        String raw = "Line one <ref>x</ref>\nstill one\n\n# not a heading";
        PageStructure s = ocr(a4(OcrMode.TEXT), raw);
        assertEquals(
                List.of(BlockKind.PARAGRAPH, BlockKind.PARAGRAPH),
                s.getBlocks().stream().map(LayoutBlock::getKind).toList());
        assertEquals(
                "Line one <ref>x</ref>\nstill one", s.getBlocks().getFirst().getText());
        assertEquals("# not a heading", s.getBlocks().get(1).getText());
        assertEquals(raw, s.getMarkdown());
    }

    @Test
    void anUnclosedRefIsKeptAsTextAndFlagged() {
        PageStructure s = ocr(
                a4(OcrMode.LAYOUT),
                """
                <ref>Invoice</ref><box>[[100, 100, 900, 140]]</box>
                <ref>Total due: 42 EUR""");
        assertEquals(
                List.of("Invoice", "Total due: 42 EUR"),
                s.getBlocks().stream().map(LayoutBlock::getText).toList());
        LayoutBlock open = s.getBlocks().get(1);
        assertEquals(List.of(StructureFlag.MALFORMED_MARKUP, StructureFlag.TRUNCATED), open.getFlags());
        assertEquals(List.of(), open.getBoxes());
        assertEquals(CONFIDENCE / 2, open.getConfidence(), 1e-9, "a flagged block is trusted half as much");
        assertEquals(CONFIDENCE, s.getBlocks().getFirst().getConfidence(), 1e-9);
        assertEquals(List.of(StructureFlag.MALFORMED_MARKUP, StructureFlag.TRUNCATED), s.getFlags());
    }

    @Test
    void aBoxOutsideTheGridIsClampedIntoThePage() {
        PageStructure s = ocr(a4(OcrMode.LAYOUT), "<ref>Signature</ref><box>[[1100, 900, -20, 940]]</box>");
        LayoutBlock block = s.getBlocks().getFirst();
        assertEquals(List.of(StructureFlag.BOX_OUT_OF_GRID), block.getFlags());
        assertOnA4(0, 900, 1000, 940, block.getBoxes().getFirst());
        assertBox(0, 900 * 1.753, 1240, 940 * 1.753, block.getBoxes().getFirst().getPixels());
        assertEquals(1240 / SCALE, block.getBoxes().getFirst().getPoints().getX2(), 1e-9, "a pixel short of 595.28");
    }

    @Test
    void aCutOffTableIsPaddedAndFlaggedTruncated() {
        PageStructure s = ocr(
                a4(OcrMode.MARKDOWN),
                """
                | Item | Qty |
                |---|---|
                | Paper | 2 |
                | Toner""");
        LayoutBlock table = s.getBlocks().getFirst();
        assertEquals(BlockKind.TABLE, table.getKind());
        assertTrue(
                table.getFlags().contains(StructureFlag.TRUNCATED),
                table.getFlags().toString());
        assertEquals(
                List.of(List.of("Item", "Qty"), List.of("Paper", "2"), List.of("Toner", "")),
                cells(s.getTables().getFirst()));
        assertEquals(CONFIDENCE / 2, table.getConfidence(), 1e-9);
    }

    @Test
    void aPageWithoutItsSourcePageHasPointsEqualToPixels() {
        PageImage raster = Pages.page("doc", 0, 1, new byte[0], List.of());
        raster.setOcrMode(OcrMode.LAYOUT);
        PageImage unusable = Pages.a4("doc", 0, 1, new byte[0], OcrMode.LAYOUT, List.of(), false);
        unusable.setSourcePage(new SourcePage(595.28, 841.89, 0.0));
        for (PageImage page : List.of(raster, unusable)) {
            PageStructure s = ocr(page, "<ref>Stamp</ref><box>[[500, 500, 750, 600]]</box>");
            BoxPlacement box = s.getBlocks().getFirst().getBoxes().getFirst();
            assertBox(
                    page.getWidth() * 0.5,
                    page.getHeight() * 0.5,
                    page.getWidth() * 0.75,
                    page.getHeight() * 0.6,
                    box.getPixels());
            assertEquals(box.getPixels(), box.getPoints());
            assertNull(s.getSourcePage(), "no page for the points to refer to");
        }
    }

    @Test
    void everyKindAndFlagOfTheParserHasItsContractSymbol() {
        for (BlockType type : BlockType.values()) {
            assertEquals(type.name(), BlockKind.valueOf(type.name()).name());
        }
        for (Flag flag : Flag.values()) {
            assertEquals(flag.name(), StructureFlag.valueOf(flag.name()).name());
        }
    }

    @Test
    void aGroundedAnswerLosesItsTagsAndPointsToItsEvidence() {
        PageImage page = a4(OcrMode.MARKDOWN, "What is due?", "Who signed?");
        List<Answer> answers = value(
                        map(
                                page,
                                new Reply("Invoice", LOGPROB),
                                new Reply("<ref>42 EUR</ref><box>[[600, 800, 700, 830]]</box>", LOGPROB),
                                new Reply("J. Smith<box>[[50, 900, 300, 940]], [[0, 0, 10, 10]]</box>", LOGPROB)),
                        Topics.PAGES_ANSWERS.name(),
                        PageAnswers.class)
                .getAnswers();
        assertEquals("42 EUR", answers.get(0).getText());
        assertFalse(answers.get(0).getNoAnswer());
        assertOnA4(600, 800, 700, 830, answers.get(0).getEvidence());
        assertBox(744, 1402.4, 868, 1454.99, answers.get(0).getEvidence().getPixels());
        assertEquals("J. Smith", answers.get(1).getText());
        assertOnA4(50, 900, 300, 940, answers.get(1).getEvidence());
    }

    @Test
    void anAnswerOfAPageThatDidNotAskForGroundingHasNoEvidence() {
        PageImage page = Pages.a4("doc", 0, 1, new byte[0], OcrMode.MARKDOWN, List.of("What is due?"), false);
        Answer answer = value(
                        map(
                                page,
                                new Reply("Invoice", LOGPROB),
                                new Reply("<ref>42 EUR</ref><box>[[600, 800, 700, 830]]</box>", LOGPROB)),
                        Topics.PAGES_ANSWERS.name(),
                        PageAnswers.class)
                .getAnswers()
                .getFirst();
        assertEquals("42 EUR", answer.getText());
        assertNull(answer.getEvidence());
    }

    @Test
    void theCannotFindReplyAndALowConfidenceAreNoAnswers() {
        PageImage page = a4(OcrMode.TEXT, "a", "b", "c", "d", "e", "f", "g");
        float sure = (float) Math.log(0.9);
        List<Answer> answers = value(
                        map(
                                page,
                                new Reply("text", LOGPROB),
                                new Reply("Not on this page.", sure),
                                new Reply("NOT ON THIS PAGE", sure),
                                new Reply("not on — this page!", sure),
                                new Reply("It is not on this page", sure),
                                new Reply("42 EUR", (float) Math.log(0.19)),
                                new Reply("42 EUR", (float) Math.log(0.21)),
                                new Reply("", sure)),
                        Topics.PAGES_ANSWERS.name(),
                        PageAnswers.class)
                .getAnswers();
        assertEquals(
                List.of(true, true, true, false, true, false, true),
                answers.stream().map(Answer::getNoAnswer).toList());
        assertEquals(0.19, answers.get(4).getConfidence(), 1e-6, "the confidence is reported all the same");
    }
}
