package io.pagestream.ingest.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A header value as the client wrote it. Vert.x (Netty) hands header values over one char per byte, as ISO-8859-1;
 * clients that send anything but ASCII send UTF-8 (curl, browsers, HTTP libraries given a non-ASCII string), so a key
 * sent as a header and as a form field (decoded as UTF-8) would otherwise be two keys. Bytes that are not valid UTF-8
 * keep their ISO-8859-1 reading.
 */
final class Utf8Header {
    private Utf8Header() {}

    static String decode(String value) {
        if (value == null
                || value.chars().allMatch(c -> c < 0x80)
                || value.chars().anyMatch(c -> c > 0xFF)) {
            return value; // ASCII, or not one char per byte
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }
}
