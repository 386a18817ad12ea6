package io.pagestream.assembler.output;

import io.pagestream.schema.BoxPlacement;

/**
 * An answer to one question as read from one page: the evidence page is {@code pageIndex}.
 *
 * @param noAnswer the page does not answer the question (the model said so, or was not confident enough)
 * @param evidence where on the page the answer was read, when the model grounded it; null otherwise
 */
public record Candidate(int pageIndex, String text, double confidence, boolean noAnswer, BoxPlacement evidence) {

    /**
     * The better of two candidates: a no-answer never wins; otherwise the higher confidence, and on a tie the earlier
     * page (the first one seen).
     */
    static Candidate better(Candidate current, Candidate challenger) {
        if (challenger.noAnswer()) {
            return current;
        }
        return current == null || challenger.confidence() > current.confidence() ? challenger : current;
    }
}
