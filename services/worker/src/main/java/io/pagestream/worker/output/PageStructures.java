package io.pagestream.worker.output;

import io.pagestream.schema.BlockKind;
import io.pagestream.schema.BoundingBox;
import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.LayoutBlock;
import io.pagestream.schema.LayoutTable;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageStructure;
import io.pagestream.schema.SourcePage;
import io.pagestream.schema.StructureFlag;
import io.pagestream.schema.TableCell;
import io.pagestream.structure.Block;
import io.pagestream.structure.Box;
import io.pagestream.structure.Cell;
import io.pagestream.structure.Flag;
import io.pagestream.structure.Mode;
import io.pagestream.structure.PageGeometry;
import io.pagestream.structure.PageOutputParser;
import io.pagestream.structure.ParsedPage;
import io.pagestream.structure.Placement;
import io.pagestream.structure.Table;
import java.util.Collection;
import java.util.List;

/**
 * A page's raw OCR output as the contracts' {@code PageStructure}: parsed by {@link PageOutputParser} in the page's
 * mode, boxes placed on the page's geometry. The parser's types and the Avro ones carry the same names, so the
 * conversion is field by field.
 */
public final class PageStructures {
    private PageStructures() {}

    /** Parses {@code raw}, the OCR output of {@code page}, read with the page's confidence. */
    public static PageStructure parse(PageImage page, String raw, double confidence) {
        ParsedPage parsed = PageOutputParser.parse(raw, geometry(page), mode(page.getOcrMode()), confidence);
        return PageStructure.newBuilder()
                .setMode(page.getOcrMode())
                .setMarkdown(parsed.markdown())
                .setBlocks(parsed.blocks().stream().map(PageStructures::block).toList())
                .setTables(parsed.tables().stream().map(PageStructures::table).toList())
                .setFlags(flags(parsed.flags()))
                .setSourcePage(usable(page.getSourcePage()) ? page.getSourcePage() : null)
                .build();
    }

    /**
     * The image the model saw and the page it was rendered from. A page without a usable {@code sourcePage} (a
     * raster input, a record from before ingest recorded it, or sizes that are not positive) has points equal to
     * pixels, and its structure says so by carrying no {@code sourcePage}.
     *
     * @throws IllegalArgumentException when the record's image size is not positive
     */
    public static PageGeometry geometry(PageImage page) {
        SourcePage source = page.getSourcePage();
        return usable(source)
                ? new PageGeometry(
                        page.getWidth(),
                        page.getHeight(),
                        source.getWidthPoints(),
                        source.getHeightPoints(),
                        source.getRenderScale())
                : PageGeometry.ofImage(page.getWidth(), page.getHeight());
    }

    private static boolean usable(SourcePage source) {
        return source != null
                && positive(source.getWidthPoints())
                && positive(source.getHeightPoints())
                && positive(source.getRenderScale());
    }

    private static boolean positive(double value) {
        return value > 0 && Double.isFinite(value);
    }

    static Mode mode(OcrMode mode) {
        return switch (mode) {
            case TEXT -> Mode.TEXT;
            case MARKDOWN -> Mode.MARKDOWN;
            case LAYOUT -> Mode.LAYOUT;
        };
    }

    static BoxPlacement placement(Placement placement) {
        return BoxPlacement.newBuilder()
                .setGrid(box(placement.grid()))
                .setPixels(box(placement.pixels()))
                .setPoints(box(placement.points()))
                .build();
    }

    private static LayoutBlock block(Block block) {
        return LayoutBlock.newBuilder()
                .setOrder(block.order())
                .setKind(BlockKind.valueOf(block.type().name()))
                .setLevel(block.level())
                .setText(block.text())
                .setConfidence(block.confidence())
                .setBoxes(block.boxes().stream().map(PageStructures::placement).toList())
                .setTableIndex(block.tableIndex())
                .setFlags(flags(block.flags()))
                .build();
    }

    private static LayoutTable table(Table table) {
        return LayoutTable.newBuilder()
                .setColumns(table.columns())
                .setRows(table.rows().stream()
                        .map(row -> row.stream().map(PageStructures::cell).toList())
                        .toList())
                .build();
    }

    private static TableCell cell(Cell cell) {
        return TableCell.newBuilder()
                .setText(cell.text())
                .setRowSpan(cell.rowSpan())
                .setColSpan(cell.colSpan())
                .setHeader(cell.header())
                .build();
    }

    private static BoundingBox box(Box box) {
        return new BoundingBox(box.x1(), box.y1(), box.x2(), box.y2());
    }

    /** In the flags' declaration order, so a re-delivered page writes identical bytes. */
    private static List<StructureFlag> flags(Collection<Flag> flags) {
        return flags.stream()
                .sorted()
                .map(flag -> StructureFlag.valueOf(flag.name()))
                .toList();
    }
}
