package io.pagestream.worker.pipeline;

import static io.pagestream.worker.testing.ModelOutputs.LAYOUT;
import static io.pagestream.worker.testing.ModelOutputs.LAYOUT_MARKDOWN;
import static io.pagestream.worker.testing.ModelOutputs.assertOnA4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.Answer;
import io.pagestream.schema.BlockKind;
import io.pagestream.schema.LayoutBlock;
import io.pagestream.schema.LayoutTable;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.schema.PageStructure;
import io.pagestream.schema.TableCell;
import io.pagestream.servicetest.TopicReader;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.QuietKafka;
import io.pagestream.topics.Topics;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.delivery.KafkaClients;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.ScriptedEngine;
import io.pagestream.worker.testing.ScriptedEngine.Reply;
import io.pagestream.worker.testing.ScriptedPipeline;
import io.pagestream.worker.testing.WorkerTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "done when" page through a real broker and registry: scripted model outputs in each OCR mode, and a
 * grounded answer, read back from {@code pages.ocr} and {@code pages.answers} as a consumer decodes them through the
 * registry, with their structure and boxes in pixels and PDF points.
 */
@IntegrationTest
class StructuredOutputKafkaTest {
    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(Topics.newTopics((short) 1));

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final float LOGPROB = (float) Math.log(0.9);
    private static final String QUESTION = "What was the North's revenue in Q3?";
    private static final String MARKDOWN =
            """
            # Invoice 2024-117

            | Item | Qty | Price |
            |---|---:|---:|
            | Paper | 2 | 4.50 |
            | Toner | 1 | 39.00 |""";
    private static final String TEXT = "Dear Ms Novak,\nthank you for your letter.\n\nKind regards";

    static {
        QuietKafka.atWarn();
    }

    /** The outputs the model "writes", by page (its image's width) and by the prompt the worker chose. */
    private static ScriptedEngine.Script script(Prompts prompts) {
        return (prompt, width) -> {
            if (width == Pages.A4_WIDTH && prompt.equals(prompts.ocr(OcrMode.LAYOUT))) {
                return new Reply(LAYOUT, LOGPROB);
            }
            if (width == Pages.A4_WIDTH && prompt.equals(prompts.question(QUESTION, true))) {
                return new Reply("<ref>14</ref><box>[[700, 520, 780, 550]]</box>", LOGPROB);
            }
            if (width == 640 && prompt.equals(prompts.ocr(OcrMode.MARKDOWN))) {
                return new Reply(MARKDOWN, LOGPROB);
            }
            if (width == 320 && prompt.equals(prompts.ocr(OcrMode.TEXT))) {
                return new Reply(TEXT, LOGPROB);
            }
            return null;
        };
    }

    private static PageImage raster(String documentId, int width, int height, OcrMode mode) {
        PageImage page = Pages.page(documentId, 0, 1, Pages.png(width, height, 3), List.of());
        page.setWidth(width);
        page.setHeight(height);
        page.setOcrMode(mode);
        return page;
    }

    private static Stream<ConsumerRecord<String, SpecificRecord>> ours(
            List<ConsumerRecord<String, SpecificRecord>> records) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith("structured-"));
    }

    @Test
    void eachModesOutputArrivesParsedWithBoxesInPixelsAndPoints() throws Exception {
        WorkerConfig config = Configs.worker(Map.of("pagestream.worker.instance-id", "structured-1"));
        Prompts prompts = Prompts.of(config.prompts());
        List<PageImage> pages = List.of(
                Pages.a4(
                        "structured-layout",
                        0,
                        1,
                        Pages.png(Pages.A4_WIDTH, Pages.A4_HEIGHT, 1),
                        OcrMode.LAYOUT,
                        List.of(QUESTION),
                        true),
                raster("structured-markdown", 640, 480, OcrMode.MARKDOWN),
                raster("structured-text", 320, 240, OcrMode.TEXT));
        TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages);

        try (ScriptedEngine engine = new ScriptedEngine(16, 4096, 100, 1).script(script(prompts));
                SchemaRegistryClient registry = RegistryClients.of(STACK.registryUrl());
                TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
            KafkaClients clients = ScriptedPipeline.clients(
                    Map.of("bootstrap.servers", STACK.bootstrapServers()),
                    "group-structured",
                    "structured-1",
                    registry);
            List<ConsumerRecord<String, SpecificRecord>> records;
            try (Pipeline pipeline = ScriptedPipeline.create(
                    config, ScriptedPipeline.model(engine, prompts), clients, registry, PageTracing.off())) {
                pipeline.start();
                // The broker is shared with this JVM's other test classes: only this test's documents count.
                records = reader.readUntil(
                        List.of(),
                        r -> ours(r).filter(x -> x.topic().equals(Topics.PAGES_OCR.name()))
                                                .count()
                                        >= 3
                                && ours(r).anyMatch(x -> x.topic().equals(Topics.PAGES_ANSWERS.name())),
                        WAIT);
                records = ours(records).toList();
            }
            Map<String, PageOcr> ocr = TopicReader.values(records, Topics.PAGES_OCR).stream()
                    .collect(Collectors.toMap(PageOcr::getDocumentId, Function.identity()));
            assertEquals(3, ocr.size(), "OCR of every page: " + ocr.keySet());

            PageOcr layout = ocr.get("structured-layout");
            assertEquals(LAYOUT, layout.getText(), "the raw output, grounding tags included");
            PageStructure s = layout.getStructure();
            assertEquals(OcrMode.LAYOUT, s.getMode());
            assertEquals(LAYOUT_MARKDOWN, s.getMarkdown());
            assertEquals(
                    List.of(BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH, BlockKind.TABLE),
                    s.getBlocks().stream().map(LayoutBlock::getKind).toList());
            assertEquals(
                    List.of(
                            "Quarterly results",
                            "Revenue grew in every region.",
                            "Costs stayed flat, so the margin rose."),
                    s.getBlocks().stream().limit(3).map(LayoutBlock::getText).toList());
            LayoutTable table = s.getTables().getFirst();
            assertEquals(4, table.getColumns());
            assertEquals(
                    List.of(
                            List.of("Region", "Q1", "Q2", "Q3"),
                            List.of("North", "10", "12", "14"),
                            List.of("South", "8", "9", "11")),
                    table.getRows().stream()
                            .map(row -> row.stream().map(TableCell::getText).toList())
                            .toList());
            assertEquals(0, s.getBlocks().get(3).getTableIndex());
            double[][] grid = {{100, 50, 900, 120}, {100, 150, 900, 250}, {100, 270, 900, 360}, {100, 400, 900, 600}};
            for (int i = 0; i < grid.length; i++) {
                assertEquals(1, s.getBlocks().get(i).getBoxes().size());
                assertOnA4(
                        grid[i][0],
                        grid[i][1],
                        grid[i][2],
                        grid[i][3],
                        s.getBlocks().get(i).getBoxes().getFirst());
            }
            assertEquals(
                    0.1 * 1240,
                    s.getBlocks().getFirst().getBoxes().getFirst().getPixels().getX1(),
                    1e-9);
            assertEquals(
                    0.1 * 1240 / (150 / 72.0),
                    s.getBlocks().getFirst().getBoxes().getFirst().getPoints().getX1(),
                    1e-9);
            assertEquals(Pages.A4, s.getSourcePage());
            assertEquals(List.of(), s.getFlags());
            assertEquals(0.9, layout.getConfidence(), 1e-6);

            List<Answer> answers = TopicReader.values(records, Topics.PAGES_ANSWERS).stream()
                    .filter(a -> a.getDocumentId().equals("structured-layout"))
                    .findFirst()
                    .orElseThrow()
                    .getAnswers();
            assertEquals(1, answers.size());
            assertEquals("14", answers.getFirst().getText());
            assertFalse(answers.getFirst().getNoAnswer());
            assertOnA4(700, 520, 780, 550, answers.getFirst().getEvidence());

            PageStructure markdown = ocr.get("structured-markdown").getStructure();
            assertEquals(OcrMode.MARKDOWN, markdown.getMode());
            assertEquals(
                    List.of(BlockKind.TITLE, BlockKind.TABLE),
                    markdown.getBlocks().stream().map(LayoutBlock::getKind).toList());
            assertEquals(
                    List.of(
                            List.of("Item", "Qty", "Price"),
                            List.of("Paper", "2", "4.50"),
                            List.of("Toner", "1", "39.00")),
                    markdown.getTables().getFirst().getRows().stream()
                            .map(row -> row.stream().map(TableCell::getText).toList())
                            .toList());
            assertEquals(
                    "# Invoice 2024-117\n\n| Item | Qty | Price |\n| --- | ---: | ---: |\n"
                            + "| Paper | 2 | 4.50 |\n| Toner | 1 | 39.00 |",
                    markdown.getMarkdown());
            assertNull(markdown.getSourcePage(), "a raster page: points are pixels");

            PageStructure text = ocr.get("structured-text").getStructure();
            assertEquals(OcrMode.TEXT, text.getMode());
            assertEquals(
                    List.of("Dear Ms Novak,\nthank you for your letter.", "Kind regards"),
                    text.getBlocks().stream().map(LayoutBlock::getText).toList());
            assertTrue(text.getBlocks().stream().allMatch(b -> b.getKind() == BlockKind.PARAGRAPH));
            assertEquals(TEXT, text.getMarkdown());
        }
    }
}
