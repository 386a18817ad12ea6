package io.pagestream.assembler.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stores scan in byte order of the keys: that order must be page order and time order. */
class StoreKeysTest {
    static final Comparator<String> BYTES =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    @Test
    void pageKeysSortByPageIndex() {
        List<String> keys = List.of(
                StoreKeys.page("d", 10), StoreKeys.page("d", 9), StoreKeys.page("d", 1000), StoreKeys.page("d", 0));
        assertEquals(
                List.of(
                        StoreKeys.page("d", 0),
                        StoreKeys.page("d", 9),
                        StoreKeys.page("d", 10),
                        StoreKeys.page("d", 1000)),
                keys.stream().sorted(BYTES).toList());
    }

    @Test
    void aDocumentsPrefixCoversOnlyItsOwnPages() {
        assertTrue(StoreKeys.page("doc", 3).startsWith(StoreKeys.pagePrefix("doc")));
        assertFalse(StoreKeys.page("doc2", 3).startsWith(StoreKeys.pagePrefix("doc")));
    }

    @Test
    void deadlineKeysSortByTimeAndGiveItBack() {
        long early = 1_767_225_600_000L;
        String a = StoreKeys.deadline(early, "zzz");
        String b = StoreKeys.deadline(early + 1, "aaa");
        assertTrue(BYTES.compare(a, b) < 0);
        assertEquals(early, StoreKeys.deadlineTime(a));
    }
}
