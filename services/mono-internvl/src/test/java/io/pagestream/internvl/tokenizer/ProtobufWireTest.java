package io.pagestream.internvl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level checks of the protobuf encoder against hand-computed wire bytes, and of the reader against it. */
class ProtobufWireTest {

    @Test
    void varintsUseSevenBitGroupsLowFirst() {
        assertArrayEquals(
                bytes(0x08, 0xAC, 0x02), new ProtoWriter().int32(1, 300).toByteArray());
        assertArrayEquals(
                bytes(0x98, 0x02, 0x01), new ProtoWriter().bool(35, true).toByteArray());
    }

    @Test
    void negativeInt32IsSignExtendedToTenBytes() {
        assertArrayEquals(
                bytes(0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().int32(2, -1).toByteArray());
    }

    @Test
    void floatsAreLittleEndianFixed32() {
        assertArrayEquals(
                bytes(0x15, 0x00, 0x00, 0xC0, 0x3F),
                new ProtoWriter().float32(2, 1.5f).toByteArray());
    }

    @Test
    void stringsAndMessagesAreLengthDelimitedUtf8() {
        assertArrayEquals(
                bytes(0x0A, 0x04, 0xE2, 0x96, 0x81, 0x61),
                new ProtoWriter().string(1, "\u2581a").toByteArray());
        ProtoWriter inner = new ProtoWriter().int32(3, 6);
        assertArrayEquals(
                bytes(0x12, 0x02, 0x18, 0x06),
                new ProtoWriter().message(2, inner).toByteArray());
    }

    @Test
    void readerReadsWhatTheWriterWroteAndSkipsTheRest() {
        byte[] data = new ProtoWriter()
                .int32(4, -1)
                .string(1, "ß")
                .float32(2, -7.25f)
                .bool(9, true)
                .message(7, new ProtoWriter().int32(1, 1))
                .toByteArray();
        ProtoReader reader = new ProtoReader(data);
        assertTrue(reader.next());
        assertEquals(4, reader.field());
        assertEquals(-1, (int) reader.varintValue());
        assertTrue(reader.next());
        assertEquals("ß", reader.stringValue());
        assertTrue(reader.next());
        assertEquals(-7.25f, reader.floatValue());
        assertTrue(reader.next());
        reader.skip();
        assertTrue(reader.next());
        assertEquals(7, reader.field());
        reader.skip();
        assertFalse(reader.next());
    }

    @Test
    void readerRejectsTruncationAndWrongWireTypes() {
        byte[] data = new ProtoWriter().string(1, "abc").toByteArray();
        ProtoReader truncated = new ProtoReader(Arrays.copyOf(data, data.length - 1));
        truncated.next();
        assertThrows(IllegalArgumentException.class, truncated::bytesValue);
        ProtoReader wrongType = new ProtoReader(data);
        wrongType.next();
        assertThrows(IllegalArgumentException.class, wrongType::varintValue);
    }

    @Test
    void modelRoundTripsThroughTheParser() {
        List<Piece> pieces = List.of(
                new Piece("<unk>", 0, PieceType.UNKNOWN),
                new Piece("<s>", 0, PieceType.CONTROL),
                new Piece("</s>", 0, PieceType.CONTROL),
                new Piece("<0x41>", 0, PieceType.BYTE),
                new Piece("\u2581hi", -1.5f, PieceType.NORMAL),
                new Piece("[UNUSED_TOKEN_145]", 0, PieceType.USER_DEFINED));
        SentencePieceModel model = SentencePieceModel.parse(SentencePieceModelWriter.serialize(pieces));
        assertEquals(pieces, model.pieces());
        assertTrue(model.stripsLeadingSpace());
        assertEquals(" \u2047 ", model.unknownSurface());
    }

    @Test
    void writerInsistsOnUnknownAndControlPiecesFirst() {
        List<Piece> pieces = List.of(
                new Piece("a", 0, PieceType.NORMAL),
                new Piece("<s>", 0, PieceType.CONTROL),
                new Piece("</s>", 0, PieceType.CONTROL));
        assertThrows(IllegalArgumentException.class, () -> SentencePieceModelWriter.serialize(pieces));
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
