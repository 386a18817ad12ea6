package io.pagestream.internvl.tokenizer;

import java.util.Objects;

/** One vocabulary entry of a SentencePiece model; its id is its position in the model. */
public record Piece(String text, float score, PieceType type) {

    public Piece {
        Objects.requireNonNull(type, "type");
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("SentencePiece rejects empty pieces");
        }
    }
}
