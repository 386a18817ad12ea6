package io.pagestream.internvl.tokenizer;

import java.util.Map;
import java.util.Set;

/**
 * Token strings that bypass SentencePiece: every entry of {@code added_tokens_decoder} and {@code added_tokens.json}.
 * Text is split on all of them; the special ones are also dropped when decoding.
 *
 * @param ids        token text to id
 * @param specialIds ids skipped by {@link Tokenizer#decode(int[])}, the grounding tokens excepted
 */
public record AddedTokens(Map<String, Integer> ids, Set<Integer> specialIds) {

    public AddedTokens {
        ids = Map.copyOf(ids);
        specialIds = Set.copyOf(specialIds);
        if (!ids.values().containsAll(specialIds)) {
            throw new IllegalArgumentException("every special id must belong to an added token");
        }
        if (ids.containsKey("")) {
            throw new IllegalArgumentException("an added token cannot be empty");
        }
    }

    /** The id of an added token, failing loudly when the checkpoint does not define it. */
    public int idOf(String text) {
        Integer id = ids.get(text);
        if (id == null) {
            throw new IllegalArgumentException("the tokenizer files define no token " + text);
        }
        return id;
    }

    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }
}
