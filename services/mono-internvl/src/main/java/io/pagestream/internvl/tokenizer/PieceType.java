package io.pagestream.internvl.tokenizer;

/** {@code ModelProto.SentencePiece.Type}, with its wire numbers. */
public enum PieceType {
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int number;

    PieceType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
