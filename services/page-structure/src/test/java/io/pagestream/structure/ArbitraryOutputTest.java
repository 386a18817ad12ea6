package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The parser is total: thousands of arbitrary strings (markup fragments of every kind the model writes, nested and
 * cut anywhere, mixed with words in several scripts, emoji, random code points and lone surrogates) in every mode
 * must parse without throwing, lose no letter or digit that is not markup, flag unbalanced markup, and keep the
 * invariants of the output model. Seeded, so a failure reproduces: the message carries the input.
 */
class ArbitraryOutputTest {
    /** {@code -Dstructure.arbitrary.seed} and {@code .strings} explore further than the build does. */
    private static final long SEED = Long.getLong("structure.arbitrary.seed", 0x5eed_14L);

    private static final int STRINGS_PER_MODE = Integer.getInteger("structure.arbitrary.strings", 3000);
    private static final PageGeometry GEOMETRY = new PageGeometry(950, 1344, 595.28, 841.89, 1344 / 841.89);

    private static final String[] FRAGMENTS = {
        "<ref>",
        "</ref>",
        "<box>",
        "</box>",
        "[[",
        "]]",
        "[",
        "]",
        ", ",
        "100",
        "-5",
        "1200",
        "3.5",
        "[[10, 20, 300, 400]]",
        "[[0,0,1000,1000],[5,5,6,6]]",
        "[[1, 2, 3]]",
        "[[700, 500, 300, 450]]",
        "\n",
        "\n",
        "\n\n",
        "\n\n\n\n",
        "  ",
        "    ",
        "\t",
        "\r\n",
        "\r",
        "|",
        "| a | b |\n",
        "|---|:-:|\n",
        "| 1 | 2 | 3 |",
        "\\|",
        " | ",
        "<table>",
        "</table>",
        "<TABLE border=1>",
        "<table",
        "</table",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th colspan=\"2\">",
        "<td rowspan=3>",
        "<td colspan=999>",
        "<br>",
        "<thead>",
        "</thead>",
        "<caption>",
        "</caption>",
        "<b>",
        "<td col",
        "$$",
        "$",
        "\\[",
        "\\]",
        "# ",
        "## ",
        "###### ",
        "####### ",
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "```",
        "```markdown\n",
        "```python\n",
        "~~~",
        "---",
        "===",
        "***",
        "&amp;",
        "&lt;",
        "&#65;",
        "&#x1F600;",
        "&bogus;",
        "&",
        "Figure 1: ",
        "Fig. 2. ",
        "Page 3 of 9",
        "- 7 -",
        "iv",
        "title",
        "text",
        "figure",
        "caption",
        "page-footer",
        "header",
        "table",
        "formula"
    };
    private static final String[] WORDS = {
        "Revenue",
        "grew",
        "12%",
        "Zürich",
        "東京都",
        "Ωμέγα",
        "ملف",
        "हिन्दी",
        "😀",
        "naïve",
        "ﬁ",
        "x²",
        "Ⅻ",
        "3,141",
        "O'Brien",
        "e=mc^2",
        "\\frac{1}{2}",
        "a_b",
        "**bold**",
        "_it_",
        "[link](http://x)"
    };

    @Test
    void arbitraryStringsParseTotallyInEveryMode() {
        Random random = new Random(SEED);
        int parsed = 0;
        for (Mode mode : Mode.values()) {
            for (int i = 0; i < STRINGS_PER_MODE; i++) {
                String input = arbitrary(random);
                double confidence = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 1.2 - 0.1;
                ParsedPage page;
                try {
                    page = PageOutputParser.parse(input, GEOMETRY, mode, confidence);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError(mode + " threw on " + quote(input), e);
                }
                List<String> problems = new ArrayList<>();
                problems.addAll(lostText(input, mode, page));
                problems.addAll(unflaggedImbalance(input, mode, page));
                problems.addAll(brokenInvariants(page, confidence));
                if (!problems.isEmpty()) {
                    fail(mode + " on " + quote(input) + ": " + problems + "\nmarkdown: " + quote(page.markdown()));
                }
                assertEquals(page, PageOutputParser.parse(input, GEOMETRY, mode, confidence), "deterministic");
                parsed++;
            }
        }
        assertEquals(Mode.values().length * STRINGS_PER_MODE, parsed);
    }

    @Test
    void nullAndHugeInputsParse() {
        assertTrue(
                PageOutputParser.parse(null, GEOMETRY, Mode.MARKDOWN).blocks().isEmpty());
        String big = "<ref>" + "x".repeat(200_000) + "<box>" + "[".repeat(50_000) + "|".repeat(100_000);
        for (Mode mode : Mode.values()) {
            PageOutputParser.parse(big, GEOMETRY, mode);
        }
    }

    // The checks must be able to fail: each is shown a result that breaks it.

    @Test
    void lostTextCheckSeesALostLetter() {
        ParsedPage lossy = new ParsedPage("Revenue grew", List.of(), List.of(), Set.of());
        assertEquals(
                List.of("lost 'q' (U+0071)"),
                lostText("Revenue grew quickly", Mode.MARKDOWN, lossy).stream()
                        .filter(p -> p.contains("'q'"))
                        .toList());
    }

    @Test
    void imbalanceCheckSeesAMissingFlag() {
        ParsedPage unflagged = new ParsedPage("a", List.of(), List.of(), Set.of());
        assertEquals(1, unflaggedImbalance("<ref>a", Mode.MARKDOWN, unflagged).size());
        assertEquals(
                1,
                unflaggedImbalance("<table><tr><td>a", Mode.MARKDOWN, unflagged).size());
        assertEquals(
                0, unflaggedImbalance("<ref>a</ref>", Mode.MARKDOWN, unflagged).size());
    }

    @Test
    void invariantCheckSeesAWrongOrderAndAnUnsharedFlag() {
        Block b = new Block(1, BlockType.PARAGRAPH, 0, "x", 0.5, List.of(), -1, Set.of(Flag.TRUNCATED));
        ParsedPage bad = new ParsedPage("x", List.of(b), List.of(), Set.of());
        assertEquals(
                2, brokenInvariants(bad, 1).size(), brokenInvariants(bad, 1).toString());
    }

    private static String arbitrary(Random random) {
        StringBuilder s = new StringBuilder();
        int pieces = random.nextInt(60);
        for (int p = 0; p < pieces; p++) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                s.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            } else if (kind < 8) {
                s.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextBoolean() ? " " : "");
            } else if (kind < 9) {
                s.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1)); // lone surrogates included
            } else {
                s.append((char) (32 + random.nextInt(95)));
            }
        }
        if (random.nextInt(8) == 0 && !s.isEmpty()) { // a generation loop, cut anywhere
            String unit = s.substring(Math.max(0, s.length() - 1 - random.nextInt(40)));
            int copies = 2 + random.nextInt(12);
            s.append(unit.repeat(copies), 0, Math.max(0, unit.length() * copies - random.nextInt(unit.length() + 1)));
        }
        return s.toString();
    }

    // ---- checks, each returning what is wrong (empty when right)

    private static final Pattern BOX_CONTENT = Pattern.compile("<box>((?:(?!</?ref>|</?box>).)*)", Pattern.DOTALL);
    private static final Pattern REF_TEXT =
            Pattern.compile("<ref>((?:(?!</?ref>|</?box>).)*)(?:</ref>|(?=<box>))", Pattern.DOTALL);
    private static final Pattern ENTITY = Pattern.compile("&#?[a-zA-Z0-9]{1,9};");
    private static final Pattern FENCE_INFO = Pattern.compile("```[a-zA-Z0-9]*");

    /**
     * Every letter and digit of the input (up to a generation loop's first copy) that is not markup appears in the markdown or a block's text. Markup,
     * stripped from the input first: box coordinates, layout labels, HTML tags (also cut-short ones) and character
     * references, a code fence's info string.
     */
    static List<String> lostText(String input, Mode mode, ParsedPage page) {
        // a loop's later copies are dropped by design, and may read differently from its first (a copy that starts
        // inside a tag): the reference is what is left after the cut
        String reference =
                Repetition.cut(input.replace("\r\n", "\n").replace('\r', '\n')).text();
        if (mode != Mode.TEXT) {
            reference = BOX_CONTENT
                    .matcher(reference)
                    .replaceAll(
                            r -> BoxText.looksLikeBoxes(r.group(1)) ? "<box>" : Matcher.quoteReplacement(r.group()));
            if (mode == Mode.LAYOUT) {
                Matcher m = REF_TEXT.matcher(reference);
                reference = m.replaceAll(
                        r -> RegionLabel.of(r.group(1)) != null ? "" : Matcher.quoteReplacement(r.group()));
            }
            // grounding tags go first, as in the parser: an HTML tag cut short then runs to the next '<' left
            reference = reference
                    .replace("<ref>", "")
                    .replace("</ref>", "")
                    .replace("<box>", "")
                    .replace("</box>", "");
            reference = HtmlTables.TAG.matcher(reference).replaceAll("");
            reference = ENTITY.matcher(reference).replaceAll("");
            reference = FENCE_INFO.matcher(reference).replaceAll("");
        }
        StringBuilder output = new StringBuilder(page.markdown());
        page.blocks().forEach(b -> output.append('\n').append(b.text()));
        Set<Integer> present = new java.util.HashSet<>();
        output.codePoints().forEach(present::add);
        List<String> lost = new ArrayList<>();
        reference
                .codePoints()
                .filter(Character::isLetterOrDigit)
                .distinct()
                .filter(cp -> !present.contains(cp))
                .forEach(cp -> lost.add("lost '" + Character.toString(cp) + "' (U+" + String.format("%04X", cp) + ")"));
        return lost;
    }

    /** Unbalanced grounding tags (or, in markdown, table tags) leave a flag: malformed, broken, or a cut loop. */
    static List<String> unflaggedImbalance(String input, Mode mode, ParsedPage page) {
        if (mode == Mode.TEXT || page.flags().contains(Flag.REPEATED_TAIL)) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        boolean groundingUnbalanced =
                count(input, "<ref>") != count(input, "</ref>") || count(input, "<box>") != count(input, "</box>");
        if (groundingUnbalanced && !page.flags().contains(Flag.MALFORMED_MARKUP)) {
            problems.add("unbalanced grounding tags, no MALFORMED_MARKUP");
        }
        int opens = 0;
        int closes = 0;
        // table tags as the parser meets them: with the grounding tokens (and box coordinates) taken out
        String tokensOut = BOX_CONTENT
                .matcher(input)
                .replaceAll("")
                .replace("<ref>", "")
                .replace("</ref>", "")
                .replace("</box>", "");
        Matcher m = MarkdownBlocks.TABLE_TAG.matcher(tokensOut);
        while (m.find()) {
            if (m.group(1).isEmpty()) {
                opens++;
            } else {
                closes++;
            }
        }
        if (mode == Mode.MARKDOWN
                && opens != closes
                && !page.flags().contains(Flag.BROKEN_TABLE)
                && !page.flags().contains(Flag.MALFORMED_MARKUP)) {
            problems.add(opens + " <table> and " + closes + " </table>, no BROKEN_TABLE or MALFORMED_MARKUP");
        }
        return problems;
    }

    /** Order, confidence, boxes in range, table references, page flags covering block flags. */
    static List<String> brokenInvariants(ParsedPage page, double confidence) {
        List<String> problems = new ArrayList<>();
        double c = Double.isNaN(confidence) ? 0 : Math.max(0, Math.min(1, confidence));
        Set<Integer> tablesSeen = new java.util.HashSet<>();
        EnumSet<Flag> blockFlags = EnumSet.noneOf(Flag.class);
        for (int i = 0; i < page.blocks().size(); i++) {
            Block b = page.blocks().get(i);
            if (b.order() != i) {
                problems.add("block " + i + " has order " + b.order());
            }
            double expected = b.degraded() ? c * PageOutputParser.DEGRADED_FACTOR : c;
            if (Math.abs(b.confidence() - expected) > 1e-12) {
                problems.add("block " + i + " confidence " + b.confidence() + ", expected " + expected);
            }
            blockFlags.addAll(b.flags());
            for (Placement p : b.boxes()) {
                if (!PageGeometry.onGrid(p.grid())
                        || !within(p.pixels(), GEOMETRY.pixelWidth(), GEOMETRY.pixelHeight())
                        || !within(p.points(), GEOMETRY.pageWidth(), GEOMETRY.pageHeight())) {
                    problems.add("block " + i + " box out of range " + p);
                }
            }
            if (b.tableIndex() >= 0) {
                if (b.type() != BlockType.TABLE
                        || b.tableIndex() >= page.tables().size()
                        || !tablesSeen.add(b.tableIndex())) {
                    problems.add("block " + i + " bad table index " + b.tableIndex());
                }
            }
        }
        if (tablesSeen.size() != page.tables().size()) {
            problems.add(page.tables().size() + " tables, " + tablesSeen.size() + " referenced");
        }
        if (!page.flags().containsAll(blockFlags)) {
            problems.add("page flags " + page.flags() + " miss block flags " + blockFlags);
        }
        return problems;
    }

    private static boolean within(Box b, double width, double height) {
        return b.x1() >= 0
                && b.y1() >= 0
                && b.x2() <= width + 1e-9
                && b.y2() <= height + 1e-9
                && b.x1() <= b.x2()
                && b.y1() <= b.y2();
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static String quote(String s) {
        return GoldenJson.string(s.length() > 2000 ? s.substring(0, 2000) + "…" : s);
    }
}
