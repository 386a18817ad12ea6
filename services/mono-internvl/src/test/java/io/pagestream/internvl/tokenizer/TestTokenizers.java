package io.pagestream.internvl.tokenizer;

import ai.djl.sentencepiece.SpTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A full-size synthetic tokenizer directory plus a bare SentencePiece processor on the same model, so tests can
 * state expected ids as "these special ids, then whatever SentencePiece makes of this text".
 */
final class TestTokenizers implements AutoCloseable {
    /** {@code llm_config.vocab_size} of the real checkpoint. */
    static final int VOCAB_SIZE = 92553;

    final Path dir;
    final Tokenizer tokenizer;
    private final SpTokenizer sentencePiece;

    TestTokenizers(Path dir) throws IOException {
        this.dir = dir;
        TokenizerFiles.write(dir, VOCAB_SIZE, 3);
        this.tokenizer = Tokenizer.load(dir);
        this.sentencePiece = new SpTokenizer(Files.readAllBytes(dir.resolve(Tokenizer.MODEL_FILE)));
    }

    /** SentencePiece alone, no added-token splitting, no BOS. */
    int[] sp(String text) {
        return sentencePiece.getProcessor().encode(text);
    }

    /** Concatenates id arrays and single ids (given as one-element arrays or via {@link #ids(int...)}). */
    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    static int[] ids(int... ids) {
        return ids;
    }

    @Override
    public void close() {
        sentencePiece.close();
        tokenizer.close();
    }
}
