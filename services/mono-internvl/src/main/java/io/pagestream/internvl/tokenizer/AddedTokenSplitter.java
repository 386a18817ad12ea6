package io.pagestream.internvl.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts text at every added-token string, as HuggingFace tokenizers do before running the model: the leftmost match
 * wins, and among matches at one position the longest.
 */
final class AddedTokenSplitter {
    /** A run of plain text ({@code id} = -1) or one added token. */
    record Segment(String text, int id) {
        boolean added() {
            return id >= 0;
        }
    }

    private final AddedTokens tokens;
    private final List<String> longestFirst;

    AddedTokenSplitter(AddedTokens tokens) {
        this.tokens = tokens;
        this.longestFirst = tokens.ids().keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    List<Segment> split(String text) {
        List<Segment> segments = new ArrayList<>();
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            String match = matchAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            if (plainStart < i) {
                segments.add(new Segment(text.substring(plainStart, i), -1));
            }
            segments.add(new Segment(match, tokens.idOf(match)));
            i += match.length();
            plainStart = i;
        }
        if (plainStart < text.length()) {
            segments.add(new Segment(text.substring(plainStart), -1));
        }
        return segments;
    }

    private String matchAt(String text, int offset) {
        for (String token : longestFirst) {
            if (text.startsWith(token, offset)) {
                return token;
            }
        }
        return null;
    }
}
