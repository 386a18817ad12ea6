package io.pagestream.internvl.tokenizer;

/**
 * Field numbers of {@code sentencepiece_model.proto} that we read or write, in one place so the reader and the writer
 * cannot drift apart.
 */
final class ModelProtoFields {
    static final int MODEL_PIECES = 1;
    static final int MODEL_TRAINER_SPEC = 2;
    static final int MODEL_NORMALIZER_SPEC = 3;

    static final int PIECE_TEXT = 1;
    static final int PIECE_SCORE = 2;
    static final int PIECE_TYPE = 3;

    static final int TRAINER_MODEL_TYPE = 3;
    static final int TRAINER_VOCAB_SIZE = 4;
    static final int TRAINER_MAX_PIECE_LENGTH = 20;
    static final int TRAINER_BYTE_FALLBACK = 35;
    static final int TRAINER_UNK_ID = 40;
    static final int TRAINER_BOS_ID = 41;
    static final int TRAINER_EOS_ID = 42;
    static final int TRAINER_PAD_ID = 43;
    static final int TRAINER_UNK_SURFACE = 44;

    static final int NORMALIZER_NAME = 1;
    static final int NORMALIZER_ADD_DUMMY_PREFIX = 3;
    static final int NORMALIZER_REMOVE_EXTRA_WHITESPACES = 4;
    static final int NORMALIZER_ESCAPE_WHITESPACES = 5;

    private ModelProtoFields() {}
}
