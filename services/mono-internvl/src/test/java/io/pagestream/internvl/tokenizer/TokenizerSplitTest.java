package io.pagestream.internvl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagestream.internvl.tokenizer.AddedTokenSplitter.Segment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenizerSplitTest {
    private final AddedTokenSplitter splitter =
            new AddedTokenSplitter(new AddedTokens(Map.of("<a>", 5, "<a><b>", 6, "b>", 7), Set.of(5, 6)));

    @Test
    void leftmostMatchWinsThenTheLongest() {
        assertEquals(List.of(new Segment("<a><b>", 6), new Segment("x", -1)), splitter.split("<a><b>x"));
        assertEquals(
                List.of(new Segment("<a>", 5), new Segment("<<", -1), new Segment("b>", 7)), splitter.split("<a><<b>"));
    }

    @Test
    void plainTextStaysWholeAndEmptyTextHasNoSegments() {
        assertEquals(List.of(new Segment("just text", -1)), splitter.split("just text"));
        assertEquals(List.of(), splitter.split(""));
    }

    @Test
    void addedTokensMustBeNonEmptyAndSpecialIdsKnown() {
        assertThrows(IllegalArgumentException.class, () -> new AddedTokens(Map.of("", 1), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new AddedTokens(Map.of("<a>", 1), Set.of(2)));
    }
}
