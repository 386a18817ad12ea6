package io.pagestream.internvl.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks the fields of one protobuf message; enough to read a SentencePiece model without protoc. After
 * {@link #next()}, read the field's value with the method matching its type, or {@link #skip()} it.
 */
final class ProtoReader {
    private final byte[] data;
    private int position;
    private int tag;

    ProtoReader(byte[] data) {
        this.data = data;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (position == data.length) {
            return false;
        }
        tag = Math.toIntExact(varint());
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    long varintValue() {
        requireWireType(0);
        return varint();
    }

    boolean boolValue() {
        return varintValue() != 0;
    }

    float floatValue() {
        requireWireType(5);
        int start = advance(4);
        int bits = 0;
        for (int i = 3; i >= 0; i--) {
            bits = bits << 8 | data[start + i] & 0xFF;
        }
        return Float.intBitsToFloat(bits);
    }

    byte[] bytesValue() {
        requireWireType(2);
        int length = Math.toIntExact(varint());
        int start = advance(length);
        return Arrays.copyOfRange(data, start, start + length);
    }

    String stringValue() {
        return new String(bytesValue(), StandardCharsets.UTF_8);
    }

    void skip() {
        switch (tag & 7) {
            case 0 -> varint();
            case 1 -> advance(8);
            case 2 -> advance(Math.toIntExact(varint()));
            case 5 -> advance(4);
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + (tag & 7));
        }
    }

    private void requireWireType(int wireType) {
        if ((tag & 7) != wireType) {
            throw new IllegalArgumentException(
                    "field " + field() + " has wire type " + (tag & 7) + ", not " + wireType);
        }
    }

    /** Moves past {@code count} bytes and returns where they start. */
    private int advance(int count) {
        if (count < 0 || count > data.length - position) {
            throw new IllegalArgumentException("truncated protobuf message at byte " + position);
        }
        int start = position;
        position += count;
        return start;
    }

    private long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position == data.length) {
                throw new IllegalArgumentException("truncated varint at byte " + position);
            }
            int b = data[position++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than ten bytes at byte " + position);
    }
}
