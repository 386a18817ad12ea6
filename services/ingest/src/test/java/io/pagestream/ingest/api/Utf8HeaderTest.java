package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8HeaderTest {

    @Test
    void theBytesOfAHeaderAreReadAsUtf8() {
        String key = "cl\u00e9-\u65e5\u672c-\uD83D\uDE00";
        String asVertxHandsItOver = new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals(key, Utf8Header.decode(asVertxHandsItOver));
    }

    @Test
    void asciiAndBytesThatAreNotUtf8AreLeftAsTheyWereRead() {
        assertEquals("plain-key-1", Utf8Header.decode("plain-key-1"));
        assertEquals("caf\u00e9", Utf8Header.decode("caf\u00e9"), "a lone 0xE9 byte is no UTF-8: ISO-8859-1 it is");
        assertNull(Utf8Header.decode(null));
    }
}
