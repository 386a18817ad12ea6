package io.pagestream.structure;

import java.util.ArrayList;
import java.util.List;

/** Plain text: one paragraph per run of non-blank lines, nothing interpreted, trailing spaces trimmed. */
final class TextBlocks {
    private TextBlocks() {}

    static List<Draft> parse(String text) {
        List<Draft> drafts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int start = -1;
        int end = 0;
        int s = 0;
        while (s <= text.length()) {
            int nl = text.indexOf('\n', s);
            int e = nl < 0 ? text.length() : nl;
            String line = text.substring(s, e).stripTrailing();
            if (line.isBlank()) {
                flush(drafts, lines, start, end);
                start = -1;
            } else {
                if (start < 0) {
                    start = s;
                }
                lines.add(line);
                end = e;
            }
            s = e + 1;
        }
        flush(drafts, lines, start, end);
        return drafts;
    }

    private static void flush(List<Draft> drafts, List<String> lines, int start, int end) {
        if (lines.isEmpty()) {
            return;
        }
        String body = String.join("\n", lines);
        drafts.add(Draft.of(BlockType.PARAGRAPH, 0, body, body, start, end));
        lines.clear();
    }
}
