package io.pagestream.internvl.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns piece ids into text by SentencePiece's decoding rules, in Java. DJL's {@code SpProcessor.decode} cannot be
 * used: its JNI layer hands the text back as modified UTF-8, which garbles and truncates every character outside
 * the Basic Multilingual Plane (emoji, rare CJK), exactly what byte fallback produces.
 *
 * <p>Rules: control pieces vanish; {@code <unk>} becomes the model's unknown surface; runs of byte pieces are read
 * as UTF-8, each byte that starts no valid character becoming U+FFFD; {@code ▁} becomes a space, and while nothing
 * has been output yet one leading {@code ▁} is dropped (the dummy prefix).
 */
final class PieceDecoder {
    private static final String SPACE_MARK = "\u2581";
    private static final String REPLACEMENT = "\uFFFD";

    private final SentencePieceModel model;

    PieceDecoder(SentencePieceModel model) {
        this.model = model;
    }

    String decode(int[] ids) {
        List<Piece> pieces = model.pieces();
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= pieces.size()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary");
            }
            Piece piece = pieces.get(id);
            if (piece.type() == PieceType.BYTE) {
                bytes.write(Integer.parseInt(piece.text(), 3, 5, 16));
                continue;
            }
            appendUtf8(text, bytes.toByteArray());
            bytes.reset();
            text.append(surface(piece, text.isEmpty()));
        }
        appendUtf8(text, bytes.toByteArray());
        return text.toString();
    }

    private String surface(Piece piece, boolean atStart) {
        return switch (piece.type()) {
            case CONTROL -> "";
            case UNKNOWN -> model.unknownSurface();
            default -> {
                String text = piece.text();
                if (atStart && model.stripsLeadingSpace() && text.startsWith(SPACE_MARK)) {
                    text = text.substring(SPACE_MARK.length());
                }
                yield text.replace(SPACE_MARK, " ");
            }
        };
    }

    private static void appendUtf8(StringBuilder text, byte[] bytes) {
        int offset = 0;
        while (offset < bytes.length) {
            int length = validSequenceLength(bytes, offset);
            if (length == 0) {
                text.append(REPLACEMENT);
                offset++;
            } else {
                text.append(new String(bytes, offset, length, StandardCharsets.UTF_8));
                offset += length;
            }
        }
    }

    /** Length of the well-formed UTF-8 character at {@code offset}, or 0 (overlong, surrogate, truncated, too big). */
    private static int validSequenceLength(byte[] bytes, int offset) {
        int lead = bytes[offset] & 0xFF;
        int length;
        int minimum;
        int codePoint;
        if (lead < 0x80) {
            return 1;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            minimum = 0x80;
            codePoint = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            minimum = 0x800;
            codePoint = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            minimum = 0x10000;
            codePoint = lead & 0x07;
        } else {
            return 0;
        }
        if (offset + length > bytes.length) {
            return 0;
        }
        for (int i = 1; i < length; i++) {
            int trail = bytes[offset + i] & 0xFF;
            if ((trail & 0xC0) != 0x80) {
                return 0;
            }
            codePoint = codePoint << 6 | trail & 0x3F;
        }
        boolean surrogate = codePoint >= 0xD800 && codePoint < 0xE000;
        return codePoint >= minimum && codePoint <= Character.MAX_CODE_POINT && !surrogate ? length : 0;
    }
}
