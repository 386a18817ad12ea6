package io.pagestream.internvl.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer directories that {@code src/test/python/make_tokenizer_fixtures.py} tokenizes with Python's
 * SentencePiece. Run {@link #main} to write them (see that script for the whole regeneration recipe).
 */
public final class TokenizerFixtures {
    static final Path ROOT = Path.of("src/test/resources/tokenizer-fixture");
    static final long SEED = 20240917L;

    /** A directory name and the LLM vocabulary size it is written for. */
    record Fixture(String name, int vocabSize) {
        Path expectedFile() {
            return ROOT.resolve("expected-" + name + ".json");
        }

        void write(Path parent) throws IOException {
            TokenizerFiles.write(parent.resolve(name), vocabSize, SEED);
        }
    }

    /** Only the small directory is committed; the full one is checked through its SHA-256. */
    static final Fixture SMALL = new Fixture("small", 8009);

    static final Fixture FULL = new Fixture("full", 92553);
    static final List<Fixture> ALL = List.of(SMALL, FULL);

    private TokenizerFixtures() {}

    static Fixture named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: TokenizerFixtures OUTPUT_DIR");
        }
        for (Fixture fixture : ALL) {
            fixture.write(Path.of(args[0]));
        }
    }
}
