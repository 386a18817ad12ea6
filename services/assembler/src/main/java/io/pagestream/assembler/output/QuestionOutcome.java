package io.pagestream.assembler.output;

import java.util.List;

/**
 * Everything a document says about one question.
 *
 * @param best       the highest-confidence candidate over the whole document, or null when no page answered
 * @param candidates the candidates of the pages covered, in page order
 */
public record QuestionOutcome(int questionIndex, String question, Candidate best, List<Candidate> candidates) {

    public QuestionOutcome {
        candidates = List.copyOf(candidates);
    }
}
