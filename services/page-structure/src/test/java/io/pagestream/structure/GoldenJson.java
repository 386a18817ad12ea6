package io.pagestream.structure;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed page as pretty JSON, for golden files only (main has no JSON: the worker will map the records into its
 * Avro contract). Coordinates and confidences print with two decimals, so a change of 0.01 shows; spans and header
 * flags print only when they say something.
 */
final class GoldenJson {
    private GoldenJson() {}

    static String print(ParsedPage page) {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"markdown\": ").append(string(page.markdown())).append(",\n");
        out.append("  \"flags\": ").append(flags(page.flags())).append(",\n");
        out.append("  \"blocks\": [");
        for (int i = 0; i < page.blocks().size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append(block(page.blocks().get(i)));
        }
        out.append(page.blocks().isEmpty() ? "],\n" : "\n  ],\n");
        out.append("  \"tables\": [");
        for (int i = 0; i < page.tables().size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append(table(page.tables().get(i)));
        }
        out.append(page.tables().isEmpty() ? "]\n" : "\n  ]\n");
        return out.append("}\n").toString();
    }

    private static String block(Block b) {
        StringBuilder out = new StringBuilder("    {\"order\": ")
                .append(b.order())
                .append(", \"type\": \"")
                .append(b.type())
                .append('"')
                .append(", \"level\": ")
                .append(b.level())
                .append(", \"confidence\": ")
                .append(number(b.confidence()))
                .append(", \"tableIndex\": ")
                .append(b.tableIndex())
                .append(", \"flags\": ")
                .append(flags(b.flags()))
                .append(",\n     \"text\": ")
                .append(string(b.text()));
        if (!b.boxes().isEmpty()) {
            out.append(",\n     \"boxes\": [");
            for (int i = 0; i < b.boxes().size(); i++) {
                Placement p = b.boxes().get(i);
                out.append(i == 0 ? "\n" : ",\n")
                        .append("       {\"grid\": ")
                        .append(box(p.grid()))
                        .append(", \"pixels\": ")
                        .append(box(p.pixels()))
                        .append(", \"points\": ")
                        .append(box(p.points()))
                        .append('}');
            }
            out.append("\n     ]");
        }
        return out.append('}').toString();
    }

    private static String table(Table t) {
        StringBuilder out =
                new StringBuilder("    {\"columns\": ").append(t.columns()).append(", \"rows\": [");
        for (int r = 0; r < t.rows().size(); r++) {
            out.append(r == 0 ? "\n" : ",\n").append("      [");
            List<Cell> row = t.rows().get(r);
            out.append(row.stream().map(GoldenJson::cell).collect(Collectors.joining(", ")));
            out.append(']');
        }
        return out.append("\n    ]}").toString();
    }

    private static String cell(Cell c) {
        StringBuilder out = new StringBuilder("{\"text\": ").append(string(c.text()));
        if (c.rowSpan() > 1) {
            out.append(", \"rowSpan\": ").append(c.rowSpan());
        }
        if (c.colSpan() > 1) {
            out.append(", \"colSpan\": ").append(c.colSpan());
        }
        if (c.header()) {
            out.append(", \"header\": true");
        }
        return out.append('}').toString();
    }

    private static String box(Box b) {
        return "[" + number(b.x1()) + ", " + number(b.y1()) + ", " + number(b.x2()) + ", " + number(b.y2()) + "]";
    }

    private static String flags(Set<Flag> flags) {
        return flags.stream().map(f -> "\"" + f + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    static String number(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
