package io.pagestream.internvl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticVocabularyTest {
    private static final int REAL_SIZE = 92544;
    private static final List<Piece> REAL = SyntheticVocabulary.generate(REAL_SIZE, 1);

    @ParameterizedTest
    @ValueSource(ints = {266, 300, 4096, 92544})
    void hasExactlyTheRequestedSizeAndInternLm2Layout(int size) {
        List<Piece> pieces = SyntheticVocabulary.generate(size, 5);
        assertEquals(size, pieces.size());
        assertEquals(new Piece("<unk>", 0, PieceType.UNKNOWN), pieces.get(0));
        assertEquals(new Piece("<s>", 0, PieceType.CONTROL), pieces.get(1));
        assertEquals(new Piece("</s>", 0, PieceType.CONTROL), pieces.get(2));
        for (int b = 0; b < 256; b++) {
            assertEquals(new Piece("<0x%02X>".formatted(b), 0, PieceType.BYTE), pieces.get(3 + b));
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(
                    new Piece("[UNUSED_TOKEN_" + (141 + i) + "]", 0, PieceType.USER_DEFINED), pieces.get(size - 6 + i));
        }
        List<Piece> normal = pieces.subList(259, size - 6);
        assertTrue(normal.stream().allMatch(p -> p.type() == PieceType.NORMAL));
        assertEquals(size, pieces.stream().map(Piece::text).distinct().count(), "piece texts must be unique");
    }

    @Test
    void realSizeKeepsTheChatIdsOfInternLm2() {
        assertEquals("[UNUSED_TOKEN_145]", REAL.get(92542).text());
        assertEquals("[UNUSED_TOKEN_146]", REAL.get(92543).text());
    }

    @Test
    void normalScoresStrictlyDecrease() {
        List<Piece> normal = REAL.subList(259, REAL_SIZE - 6);
        for (int i = 1; i < normal.size(); i++) {
            assertTrue(normal.get(i).score() < normal.get(i - 1).score(), () -> "score order broken at " + normal);
        }
    }

    @Test
    void everyMergedPieceIsReachableByOneMoreCharacter() {
        Set<String> texts = REAL.stream().map(Piece::text).collect(Collectors.toSet());
        for (Piece piece : REAL.subList(259, REAL_SIZE - 6)) {
            int[] codePoints = piece.text().codePoints().toArray();
            if (codePoints.length > 1) {
                String shorter = new String(codePoints, 0, codePoints.length - 1);
                assertTrue(texts.contains(shorter), () -> piece.text() + " has no parent " + shorter);
            }
            assertTrue(codePoints.length <= 16, piece::text);
        }
    }

    @Test
    void coversEveryScriptTheFixturesUse() {
        Set<String> texts = REAL.stream().map(Piece::text).collect(Collectors.toSet());
        for (String c : List.of(
                "\u2581", "\n", "\t", "a", "Z", "7", "ß", "é", "Œ", "λ", "Ω", "ж", "Ж", "ع", "क", "中", "あ", "カ", "가",
                "。", "—", "€", "▁the", "▁world", "▁Straße", "人工智能")) {
            assertTrue(texts.contains(c), c);
        }
        assertFalse(texts.contains("😀"), "emoji must be left to byte fallback");
    }

    @Test
    void sameSeedSameVocabularyOtherSeedOtherMerges() {
        assertEquals(REAL, SyntheticVocabulary.generate(REAL_SIZE, 1));
        List<Piece> other = SyntheticVocabulary.generate(REAL_SIZE, 2);
        assertNotEquals(REAL, other);
        assertEquals(new HashSet<>(REAL.subList(0, 259)), new HashSet<>(other.subList(0, 259)));
    }

    @Test
    void rejectsSizesBelowTheFixedPieces() {
        assertThrows(
                IllegalArgumentException.class,
                () -> SyntheticVocabulary.generate(SyntheticVocabulary.MINIMUM_SIZE - 1, 1));
    }

    @Test
    void pieceRejectsEmptyText() {
        assertThrows(IllegalArgumentException.class, () -> new Piece("", 0, PieceType.NORMAL));
    }
}
