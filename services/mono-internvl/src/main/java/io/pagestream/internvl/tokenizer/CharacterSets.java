package io.pagestream.internvl.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The single characters of the synthetic vocabulary, as code-point ranges grouped by script. The order is the
 * priority when a small vocabulary cannot hold them all: small scripts first, so tiny models still cover them.
 */
final class CharacterSets {
    /** SentencePiece's visible whitespace mark, which stands for every space. */
    static final String SPACE_MARK = "\u2581";

    /**
     * A script's characters and whether its words are space-separated (and so start with {@link #SPACE_MARK}).
     *
     * @param all     the characters this script contributes as single pieces
     * @param letters the characters random merges draw from (those missing from a small vocabulary are dropped)
     * @param weight  how often random merges pick this script; 0 for scripts that form no words
     */
    record Script(List<String> all, List<String> letters, boolean spaceSeparated, int weight) {}

    private CharacterSets() {}

    static List<Script> scripts() {
        List<Script> scripts = new ArrayList<>();
        // Whitespace SentencePiece leaves as is, and the mark it turns spaces into.
        scripts.add(new Script(chars("\n\t\r" + SPACE_MARK), List.of(), false, 0));
        scripts.add(new Script(range(0x21, 0x7E), range('a', 'z'), true, 30));
        // Latin-1, Latin Extended-A, currency signs.
        scripts.add(new Script(
                concat(range(0xA0, 0xFF), range(0x100, 0x17F), range(0x20A0, 0x20BF)),
                concat(range(0xDF, 0xF6), range(0xF8, 0xFF)),
                true,
                4));
        // General punctuation: dashes, quotes, ellipsis.
        scripts.add(new Script(concat(range(0x2010, 0x2027), range(0x2030, 0x205E)), List.of(), false, 0));
        // Digits are ASCII characters already; listed here only to grow numbers.
        scripts.add(new Script(List.of(), range('0', '9'), false, 2));
        scripts.add(new Script(
                concat(range(0x391, 0x3A1), range(0x3A3, 0x3A9), range(0x3AC, 0x3CE)), range(0x3AC, 0x3CE), true, 3));
        scripts.add(new Script(range(0x400, 0x45F), range(0x430, 0x44F), true, 8));
        scripts.add(new Script(concat(range(0x621, 0x64A), range(0x660, 0x669)), range(0x621, 0x64A), true, 3));
        scripts.add(new Script(range(0x900, 0x97F), range(0x915, 0x939), true, 3));
        // CJK symbols and punctuation, full-width forms.
        scripts.add(new Script(concat(range(0x3000, 0x303F), range(0xFF01, 0xFF5E)), List.of(), false, 0));
        scripts.add(new Script(range(0x3041, 0x3096), range(0x3041, 0x3096), false, 3));
        scripts.add(new Script(range(0x30A1, 0x30FC), range(0x30A1, 0x30FA), false, 2));
        // Unicode 1.1 unified ideographs; merges use only the first 3500, so merged pieces share characters.
        List<String> han = range(0x4E00, 0x9FA5);
        scripts.add(new Script(han, han.subList(0, 3500), false, 25));
        List<String> hangul = everySecond(0xAC00, 0xD7A3);
        scripts.add(new Script(hangul, hangul.subList(0, 1200), true, 3));
        return scripts;
    }

    private static List<String> range(int first, int last) {
        List<String> chars = new ArrayList<>(last - first + 1);
        for (int cp = first; cp <= last; cp++) {
            chars.add(Character.toString(cp));
        }
        return chars;
    }

    /** Half of the Hangul syllables: enough that Korean text exercises both pieces and byte fallback. */
    private static List<String> everySecond(int first, int last) {
        List<String> chars = new ArrayList<>();
        for (int cp = first; cp <= last; cp += 2) {
            chars.add(Character.toString(cp));
        }
        return chars;
    }

    private static List<String> chars(String text) {
        return text.codePoints().mapToObj(Character::toString).toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
