package io.pagestream.internvl.tokenizer;

import io.pagestream.internvl.tokenizer.CharacterSets.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.SequencedSet;
import java.util.Set;

/**
 * An InternLM2-shaped SentencePiece vocabulary of exactly the requested size, for random checkpoints and tests.
 *
 * <p>Layout, as in InternLM2: {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte-fallback pieces, the normal
 * pieces, and the six reserved chat pieces last, named as in the real model file
 * ({@link InternLm2Tokens#reservedPiece(int)}). They are USER_DEFINED: inferred, not read from the file, because
 * early InternLM2 prompts spelled them as text and still got one id each, which SentencePiece does only for
 * user-defined pieces (control pieces are never matched in text).
 * Normal pieces follow SentencePiece's BPE trainer: merged pieces first in merge order, single characters after
 * them, scores strictly decreasing. Every merged piece is an existing piece plus one character, so byte-pair
 * merging can actually reach it.
 */
public final class SyntheticVocabulary {
    /** {@code <unk>}, {@code <s>}, {@code </s>}. */
    public static final int LEADING_SPECIALS = 3;

    public static final int BYTE_PIECES = 256;
    /** Fixed pieces plus at least the whitespace mark. */
    public static final int MINIMUM_SIZE = LEADING_SPECIALS + BYTE_PIECES + InternLm2Tokens.CHAT_TOKENS.size() + 1;

    private static final int MAX_PIECE_LENGTH = 16;
    private static final double FRESH_PAIR_CHANCE = 0.3;
    private static final double SPACE_MARK_CHANCE = 0.6;

    private SyntheticVocabulary() {}

    public static List<Piece> generate(int size, long seed) {
        if (size < MINIMUM_SIZE) {
            throw new IllegalArgumentException("vocabulary size " + size + " is below the minimum " + MINIMUM_SIZE);
        }
        int normalCount = size - MINIMUM_SIZE + 1;
        // Characters get at most half of the normal pieces, so that small vocabularies still have merged pieces.
        List<String> characters = characters(Math.max(1, normalCount / 2));
        List<String> merges = merges(normalCount - characters.size(), new HashSet<>(characters), seed);

        List<Piece> pieces = new ArrayList<>(size);
        pieces.add(new Piece(InternLm2Tokens.UNK, 0, PieceType.UNKNOWN));
        pieces.add(new Piece(InternLm2Tokens.BOS, 0, PieceType.CONTROL));
        pieces.add(new Piece(InternLm2Tokens.EOS, 0, PieceType.CONTROL));
        for (int b = 0; b < BYTE_PIECES; b++) {
            pieces.add(new Piece("<0x%02X>".formatted(b), 0, PieceType.BYTE));
        }
        int rank = 0;
        for (String merge : merges) {
            pieces.add(new Piece(merge, -rank++, PieceType.NORMAL));
        }
        for (String character : characters) {
            pieces.add(new Piece(character, -rank++, PieceType.NORMAL));
        }
        for (int i = 0; i < InternLm2Tokens.CHAT_TOKENS.size(); i++) {
            pieces.add(new Piece(InternLm2Tokens.reservedPiece(i), 0, PieceType.USER_DEFINED));
        }
        return pieces;
    }

    /** The first {@code limit} characters in script priority order; the whitespace mark always comes first. */
    private static List<String> characters(int limit) {
        SequencedSet<String> all = new LinkedHashSet<>();
        all.add(CharacterSets.SPACE_MARK);
        CharacterSets.scripts().forEach(script -> all.addAll(script.all()));
        return all.stream().limit(limit).toList();
    }

    private static List<String> merges(int count, Set<String> characters, long seed) {
        SequencedSet<String> merges = new LinkedHashSet<>();
        addWhitespaceRuns(merges);
        for (String word : seedWords()) {
            addWithPrefixes(merges, CharacterSets.SPACE_MARK + word, characters);
            addWithPrefixes(merges, word, characters);
        }
        if (merges.size() < count) {
            addRandomMerges(merges, count, characters, new Random(seed));
        }
        return merges.stream().limit(count).toList();
    }

    private static void addWhitespaceRuns(Set<String> merges) {
        for (int length = 2; length <= MAX_PIECE_LENGTH; length++) {
            merges.add(CharacterSets.SPACE_MARK.repeat(length));
        }
        merges.add("\n\n");
        merges.add("\n\n\n");
        merges.add("\t\t");
    }

    /** Adds every prefix of two or more characters, shortest first, when all its characters are in the vocabulary. */
    private static void addWithPrefixes(Set<String> merges, String word, Set<String> characters) {
        int[] codePoints = word.codePoints().limit(MAX_PIECE_LENGTH).toArray();
        for (int cp : codePoints) {
            if (!characters.contains(Character.toString(cp))) {
                return;
            }
        }
        for (int end = 2; end <= codePoints.length; end++) {
            merges.add(new String(codePoints, 0, end));
        }
    }

    /**
     * Grows pieces script by script: either a fresh pair of characters or an earlier piece of the same script plus
     * one character. Scripts are drawn by weight, so the mix resembles a multilingual corpus.
     */
    private static void addRandomMerges(Set<String> merges, int count, Set<String> characters, Random random) {
        List<ScriptPool> pools = CharacterSets.scripts().stream()
                .map(script -> new ScriptPool(
                        script,
                        script.letters().stream().filter(characters::contains).toList()))
                .filter(pool -> pool.letters.size() > 1 && pool.script.weight() > 0)
                .toList();
        if (pools.isEmpty()) {
            throw new IllegalStateException("no script has letters to merge");
        }
        int totalWeight = pools.stream().mapToInt(pool -> pool.script.weight()).sum();
        long attempts = 0;
        long maxAttempts = 100L * count + 10_000;
        while (merges.size() < count) {
            if (++attempts > maxAttempts) {
                throw new IllegalStateException("could not grow " + count + " distinct merged pieces");
            }
            ScriptPool pool = pick(pools, random.nextInt(totalWeight));
            String candidate = pool.candidate(random);
            if (candidate.codePointCount(0, candidate.length()) <= MAX_PIECE_LENGTH && merges.add(candidate)) {
                pool.grown.add(candidate);
            }
        }
    }

    private static ScriptPool pick(List<ScriptPool> pools, int ticket) {
        int remaining = ticket;
        for (ScriptPool pool : pools) {
            remaining -= pool.script.weight();
            if (remaining < 0) {
                return pool;
            }
        }
        throw new IllegalStateException("weights do not cover ticket " + ticket);
    }

    private static List<String> seedWords() {
        InputStream in = SyntheticVocabulary.class.getResourceAsStream("words.txt");
        if (in == null) {
            throw new IllegalStateException("words.txt is missing from the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class ScriptPool {
        private final Script script;
        private final List<String> letters;
        private final List<String> grown = new ArrayList<>();

        ScriptPool(Script script, List<String> letters) {
            this.script = script;
            this.letters = letters;
        }

        String candidate(Random random) {
            String base;
            if (grown.isEmpty() || random.nextDouble() < FRESH_PAIR_CHANCE) {
                boolean spaced = script.spaceSeparated() && random.nextDouble() < SPACE_MARK_CHANCE;
                base = spaced ? CharacterSets.SPACE_MARK : letter(random);
            } else {
                base = grown.get(random.nextInt(grown.size()));
            }
            return base + letter(random);
        }

        private String letter(Random random) {
            return letters.get(random.nextInt(letters.size()));
        }
    }
}
