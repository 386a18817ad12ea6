package io.pagestream.assembler.output;

import java.util.List;

/**
 * Everything a document says about one question.
 *
 * @param best       the highest-confidence candidate over the whole document that is not a no-answer, or null when
 *                   no page answered
 * @param candidates the candidates of the pages covered, in page order, no-answers included
 * @param noAnswer   no page of the document answers the question: {@code best} is null
 */
public record QuestionOutcome(
        int questionIndex, String question, Candidate best, List<Candidate> candidates, boolean noAnswer) {

    public QuestionOutcome {
        candidates = List.copyOf(candidates);
        if (noAnswer != (best == null)) {
            throw new IllegalArgumentException("noAnswer is " + noAnswer + " but best is " + best);
        }
    }

    public QuestionOutcome(int questionIndex, String question, Candidate best, List<Candidate> candidates) {
        this(questionIndex, question, best, candidates, best == null);
    }
}
