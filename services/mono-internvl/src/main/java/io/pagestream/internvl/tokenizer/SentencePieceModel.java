package io.pagestream.internvl.tokenizer;

import static io.pagestream.internvl.tokenizer.ModelProtoFields.*;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a serialized {@code ModelProto} that decoding needs and the DJL binding does not expose.
 *
 * @param stripsLeadingSpace whether decoding drops the {@code ▁} that starts the text: SentencePiece does so when
 *                           the normalizer adds a dummy prefix or removes extra whitespace
 * @param unknownSurface     what {@code <unk>} decodes to
 */
public record SentencePieceModel(List<Piece> pieces, boolean stripsLeadingSpace, String unknownSurface) {
    /** The proto defaults: U+2047 between spaces, and both normalizer flags on. */
    private static final String DEFAULT_UNKNOWN_SURFACE = " \u2047 ";

    public SentencePieceModel {
        pieces = List.copyOf(pieces);
    }

    public static SentencePieceModel parse(byte[] model) {
        List<Piece> pieces = new ArrayList<>();
        String unknownSurface = DEFAULT_UNKNOWN_SURFACE;
        boolean addDummyPrefix = true;
        boolean removeExtraWhitespaces = true;
        ProtoReader reader = new ProtoReader(model);
        while (reader.next()) {
            switch (reader.field()) {
                case MODEL_PIECES -> pieces.add(piece(reader.bytesValue()));
                case MODEL_TRAINER_SPEC -> {
                    ProtoReader trainer = new ProtoReader(reader.bytesValue());
                    while (trainer.next()) {
                        if (trainer.field() == TRAINER_UNK_SURFACE) {
                            unknownSurface = trainer.stringValue();
                        } else {
                            trainer.skip();
                        }
                    }
                }
                case MODEL_NORMALIZER_SPEC -> {
                    ProtoReader normalizer = new ProtoReader(reader.bytesValue());
                    while (normalizer.next()) {
                        switch (normalizer.field()) {
                            case NORMALIZER_ADD_DUMMY_PREFIX -> addDummyPrefix = normalizer.boolValue();
                            case NORMALIZER_REMOVE_EXTRA_WHITESPACES -> removeExtraWhitespaces = normalizer.boolValue();
                            default -> normalizer.skip();
                        }
                    }
                }
                default -> reader.skip();
            }
        }
        return new SentencePieceModel(pieces, addDummyPrefix || removeExtraWhitespaces, unknownSurface);
    }

    private static Piece piece(byte[] message) {
        String text = null;
        float score = 0;
        PieceType type = PieceType.NORMAL;
        ProtoReader reader = new ProtoReader(message);
        while (reader.next()) {
            switch (reader.field()) {
                case PIECE_TEXT -> text = reader.stringValue();
                case PIECE_SCORE -> score = reader.floatValue();
                case PIECE_TYPE -> type = typeOf(Math.toIntExact(reader.varintValue()));
                default -> reader.skip();
            }
        }
        return new Piece(text, score, type);
    }

    private static PieceType typeOf(int number) {
        for (PieceType type : PieceType.values()) {
            if (type.number() == number) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown piece type " + number);
    }
}
