package io.pagestream.internvl.tokenizer;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import io.pagestream.internvl.tokenizer.AddedTokenSplitter.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Mono-InternVL tokenizer: SentencePiece (through DJL's JNI binding) encodes plain text, with the added and
 * special tokens of the HuggingFace files cut out first, as InternVL's slow {@code InternLM2Tokenizer} does.
 * Decoding runs in Java ({@link PieceDecoder}). Holds a native SentencePiece processor, so close it.
 */
public final class Tokenizer implements AutoCloseable {
    public static final String MODEL_FILE = "tokenizer.model";

    private final SpTokenizer sentencePiece;
    private final SpProcessor processor;
    private final PieceDecoder decoder;
    private final TokenizerSettings settings;
    private final AddedTokenSplitter splitter;
    private final int imEndId;
    private final Map<Integer, String> groundingTokens;

    private Tokenizer(SpTokenizer sentencePiece, SentencePieceModel model, TokenizerSettings settings) {
        this.sentencePiece = sentencePiece;
        this.processor = sentencePiece.getProcessor();
        this.decoder = new PieceDecoder(model);
        this.settings = settings;
        this.splitter = new AddedTokenSplitter(settings.added());
        this.imEndId = settings.added().idOf(InternLm2Tokens.IM_END);
        // A checkpoint without InternVL's grounding tokens simply has none to keep.
        this.groundingTokens = InternLm2Tokens.GROUNDING_TOKENS.stream()
                .filter(token -> settings.added().ids().containsKey(token))
                .collect(Collectors.toUnmodifiableMap(token -> settings.added().idOf(token), token -> token));
    }

    /** Loads {@code tokenizer.model}, {@code tokenizer_config.json} and, when present, {@code added_tokens.json}. */
    public static Tokenizer load(Path dir) throws IOException {
        TokenizerSettings settings = TokenizerSettings.read(dir);
        byte[] model = Files.readAllBytes(dir.resolve(MODEL_FILE));
        // Parsed before the native processor exists, so a malformed file cannot leak one.
        SentencePieceModel parsed = SentencePieceModel.parse(model);
        return new Tokenizer(new SpTokenizer(model), parsed, settings);
    }

    /** Ids of {@code text}: BOS first when the files ask for it, added tokens by id, the rest by SentencePiece. */
    public int[] encode(String text) {
        IntStream.Builder ids = IntStream.builder();
        if (settings.addBos()) {
            ids.add(settings.bosId());
        }
        for (Segment segment : splitter.split(text)) {
            if (segment.added()) {
                ids.add(segment.id());
            } else {
                Arrays.stream(processor.encode(segment.text())).forEach(ids::add);
            }
        }
        if (settings.addEos()) {
            ids.add(settings.eosId());
        }
        return ids.build().toArray();
    }

    /**
     * Text of generated ids: stops at the first {@code <|im_end|>}, leaves out special tokens, and writes the
     * grounding tokens ({@link InternLm2Tokens#GROUNDING_TOKENS}) as their text, since a grounded answer's boxes are
     * delimited by them. The plain text between two grounding tokens is decoded as a run of its own, as
     * {@link #encode(String)} encoded it: SentencePiece gave each run a leading space mark (its dummy prefix), which
     * is dropped again, so {@code <ref>cat</ref>} comes back as written.
     */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        IntStream.Builder run = IntStream.builder();
        for (int id : ids) {
            if (id == imEndId) {
                break;
            }
            String markup = groundingTokens.get(id);
            if (markup != null) {
                text.append(decoder.decode(run.build().toArray())).append(markup);
                run = IntStream.builder();
            } else if (!settings.added().isSpecial(id)) {
                run.add(id);
            }
        }
        return text.append(decoder.decode(run.build().toArray())).toString();
    }

    /** Id of an added or special token such as {@code <IMG_CONTEXT>}. */
    public int tokenId(String text) {
        return settings.added().idOf(text);
    }

    public int bosId() {
        return settings.bosId();
    }

    /** Generation stops on any of these: {@code <|im_end|>}, EOS, {@code <|im_start|>} (InternVL's template list). */
    public SequencedSet<Integer> stopTokenIds() {
        return new LinkedHashSet<>(List.of(imEndId, settings.eosId(), tokenId(InternLm2Tokens.IM_START)));
    }

    @Override
    public void close() {
        sentencePiece.close();
    }
}
