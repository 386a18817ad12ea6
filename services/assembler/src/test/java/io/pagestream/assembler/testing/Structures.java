package io.pagestream.assembler.testing;

import io.pagestream.schema.BlockKind;
import io.pagestream.schema.BoundingBox;
import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.LayoutBlock;
import io.pagestream.schema.LayoutTable;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageStructure;
import io.pagestream.schema.SourcePage;
import io.pagestream.schema.StructureFlag;
import io.pagestream.schema.TableCell;
import java.util.ArrayList;
import java.util.List;

/**
 * Page structures as the worker's parser makes them, built block by block along with the raw output they would come
 * from: an A4 page rendered to 1000 × 1414 px, boxes given on the model's grid and converted to pixels and points as
 * docs/page-structure.md says.
 */
public final class Structures {
    public static final SourcePage A4 = new SourcePage(595.28, 841.89, 1000 / 595.28);
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 1414;

    private final List<LayoutBlock> blocks = new ArrayList<>();
    private final List<LayoutTable> tables = new ArrayList<>();
    private final List<String> markdown = new ArrayList<>();
    private final List<String> raw = new ArrayList<>();
    private final double confidence;

    public Structures(double confidence) {
        this.confidence = confidence;
    }

    /** One box on the grid, in its three units. */
    public static BoxPlacement box(double x1, double y1, double x2, double y2) {
        double toPixelsX = WIDTH / 1000.0;
        double toPixelsY = HEIGHT / 1000.0;
        BoundingBox pixels = new BoundingBox(x1 * toPixelsX, y1 * toPixelsY, x2 * toPixelsX, y2 * toPixelsY);
        double scale = A4.getRenderScale();
        return new BoxPlacement(
                new BoundingBox(x1, y1, x2, y2),
                pixels,
                new BoundingBox(
                        pixels.getX1() / scale,
                        pixels.getY1() / scale,
                        pixels.getX2() / scale,
                        pixels.getY2() / scale));
    }

    public Structures heading(int level, String text, BoxPlacement box) {
        BlockKind kind = blocks.isEmpty() && level == 1 ? BlockKind.TITLE : BlockKind.HEADING;
        add(
                kind,
                level,
                text,
                List.of(box),
                -1,
                List.of(),
                "#".repeat(level) + " " + text,
                "#".repeat(level) + " " + grounded(text, box));
        return this;
    }

    public Structures paragraph(String text, BoxPlacement... boxes) {
        add(
                BlockKind.PARAGRAPH,
                0,
                text,
                List.of(boxes),
                -1,
                List.of(),
                text,
                boxes.length == 0 ? text : grounded(text, boxes));
        return this;
    }

    public Structures caption(String text, BoxPlacement... boxes) {
        add(BlockKind.FIGURE_CAPTION, 0, text, List.of(boxes), -1, List.of(), text, grounded(text, boxes));
        return this;
    }

    public Structures footer(String text) {
        add(BlockKind.PAGE_FOOTER, 0, text, List.of(), -1, List.of(), text, text);
        return this;
    }

    /** A pipe table whose first row is its header. */
    public Structures table(List<List<String>> rows) {
        List<List<TableCell>> cells = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            boolean header = r == 0;
            cells.add(rows.get(r).stream()
                    .map(t -> new TableCell(t, 1, 1, header))
                    .toList());
            lines.add("| " + String.join(" | ", rows.get(r)) + " |");
            if (header) {
                lines.add("|" + " --- |".repeat(rows.get(r).size()));
            }
        }
        tables.add(new LayoutTable(rows.get(0).size(), cells));
        String text = String.join(
                "\n", rows.stream().map(row -> String.join("\t", row)).toList());
        String table = String.join("\n", lines);
        add(BlockKind.TABLE, 0, text, List.of(), tables.size() - 1, List.of(), table, table);
        return this;
    }

    /** A paragraph the parser had to repair: flagged, its confidence halved. */
    public Structures flaggedParagraph(String text, StructureFlag flag) {
        add(BlockKind.PARAGRAPH, 0, text, List.of(), -1, List.of(flag), text, text);
        return this;
    }

    private void add(
            BlockKind kind,
            int level,
            String text,
            List<BoxPlacement> boxes,
            int tableIndex,
            List<StructureFlag> flags,
            String blockMarkdown,
            String blockRaw) {
        blocks.add(new LayoutBlock(
                blocks.size(),
                kind,
                level,
                text,
                flags.isEmpty() ? confidence : confidence / 2,
                boxes,
                tableIndex,
                flags));
        markdown.add(blockMarkdown);
        raw.add(blockRaw);
    }

    private static String grounded(String text, BoxPlacement... boxes) {
        List<String> grid = new ArrayList<>();
        for (BoxPlacement box : boxes) {
            BoundingBox g = box.getGrid();
            grid.add("[" + (int) g.getX1() + ", " + (int) g.getY1() + ", " + (int) g.getX2() + ", " + (int) g.getY2()
                    + "]");
        }
        return "<ref>" + text + "</ref><box>[" + String.join(", ", grid) + "]</box>";
    }

    public PageStructure build() {
        List<StructureFlag> flags =
                blocks.stream().flatMap(b -> b.getFlags().stream()).distinct().toList();
        return new PageStructure(
                OcrMode.MARKDOWN, String.join("\n\n", markdown), List.copyOf(blocks), List.copyOf(tables), flags, A4);
    }

    /** The model's output this structure was parsed from: the markdown with its grounding tags. */
    public String raw() {
        return String.join("\n\n", raw);
    }

    /**
     * A report page: its title, two grounded paragraphs, a 3 × 4 table, a caption with two boxes and a footer; about
     * {@code paragraphChars} characters per paragraph.
     */
    public static Structures report(int page, int paragraphChars) {
        String sentence = "Revenue on page " + page + " grew 12 % — Grüße, 5 € ✓. ";
        String paragraph =
                sentence.repeat(Math.max(1, paragraphChars / sentence.length())).strip();
        return new Structures(0.9)
                .heading(1, "Quarterly report, page " + page, box(100, 40, 900, 80))
                .paragraph(paragraph, box(100, 100, 900, 300))
                .paragraph(
                        "The board approved the dividend " + page + ".",
                        box(100, 320, 900, 340),
                        box(100, 345, 500, 360))
                .table(List.of(
                        List.of("Region", "Q1", "Q2", "Q3"),
                        List.of("North", "10", "12", String.valueOf(page)),
                        List.of("South", "8", "9", "11")))
                .caption("Figure " + page + ": revenue by region.", box(100, 700, 900, 730), box(100, 740, 400, 760))
                .footer("- " + page + " -");
    }
}
