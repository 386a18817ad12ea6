package io.pagestream.internvl.tokenizer;

import static io.pagestream.internvl.tokenizer.ModelProtoFields.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Serializes a SentencePiece {@code tokenizer.model} (a {@code sentencepiece.ModelProto}) without protoc: BPE with
 * byte fallback, as InternLM2 ships it. Field numbers are those of {@code sentencepiece_model.proto}.
 *
 * <p>Normalizer: {@code identity} with no character map, a dummy-prefix {@code ▁}, spaces escaped to {@code ▁} and
 * runs of spaces kept, the usual settings of LLaMA-style BPE models. The real InternLM2 model's normalizer block was
 * not read; the runtime does not depend on it, since SentencePiece applies whatever the model file says and
 * {@link SentencePieceModel} reads the flags decoding needs.
 */
public final class SentencePieceModelWriter {

    private static final int MODEL_TYPE_BPE = 2;
    private static final int MAX_PIECE_LENGTH = 16;

    private SentencePieceModelWriter() {}

    /** Writes {@link SyntheticVocabulary#generate(int, long)} as a model file. */
    public static void writeSynthetic(Path file, int size, long seed) throws IOException {
        Files.write(file, serialize(SyntheticVocabulary.generate(size, seed)));
    }

    /** Pieces keep their list order as ids; {@code <unk>}, {@code <s>}, {@code </s>} must be ids 0, 1, 2. */
    public static byte[] serialize(List<Piece> pieces) {
        requireLeadingSpecials(pieces);
        ProtoWriter model = new ProtoWriter();
        for (Piece piece : pieces) {
            model.message(MODEL_PIECES, piece(piece));
        }
        model.message(MODEL_TRAINER_SPEC, trainerSpec(pieces.size()));
        model.message(MODEL_NORMALIZER_SPEC, normalizerSpec());
        return model.toByteArray();
    }

    private static ProtoWriter piece(Piece piece) {
        ProtoWriter message = new ProtoWriter().string(PIECE_TEXT, piece.text()).float32(PIECE_SCORE, piece.score());
        // NORMAL is the field's default; leaving it out is what SentencePiece's own trainer writes.
        if (piece.type() != PieceType.NORMAL) {
            message.int32(PIECE_TYPE, piece.type().number());
        }
        return message;
    }

    private static ProtoWriter trainerSpec(int vocabSize) {
        return new ProtoWriter()
                .int32(TRAINER_MODEL_TYPE, MODEL_TYPE_BPE)
                .int32(TRAINER_VOCAB_SIZE, vocabSize)
                .int32(TRAINER_MAX_PIECE_LENGTH, MAX_PIECE_LENGTH)
                .bool(TRAINER_BYTE_FALLBACK, true)
                .int32(TRAINER_UNK_ID, 0)
                .int32(TRAINER_BOS_ID, 1)
                .int32(TRAINER_EOS_ID, 2)
                .int32(TRAINER_PAD_ID, -1);
    }

    private static ProtoWriter normalizerSpec() {
        return new ProtoWriter()
                .string(NORMALIZER_NAME, "identity")
                .bool(NORMALIZER_ADD_DUMMY_PREFIX, true)
                .bool(NORMALIZER_REMOVE_EXTRA_WHITESPACES, false)
                .bool(NORMALIZER_ESCAPE_WHITESPACES, true);
    }

    private static void requireLeadingSpecials(List<Piece> pieces) {
        List<PieceType> expected = List.of(PieceType.UNKNOWN, PieceType.CONTROL, PieceType.CONTROL);
        if (pieces.size() < expected.size()
                || !pieces.subList(0, expected.size()).stream()
                        .map(Piece::type)
                        .toList()
                        .equals(expected)) {
            throw new IllegalArgumentException("ids 0, 1, 2 must be the unknown piece and two control pieces");
        }
    }
}
