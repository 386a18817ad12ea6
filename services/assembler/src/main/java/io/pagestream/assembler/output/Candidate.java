package io.pagestream.assembler.output;

/** An answer to one question as read from one page: the evidence page is {@code pageIndex}. */
public record Candidate(int pageIndex, String text, double confidence) {

    /** The better of two candidates: higher confidence, and on a tie the earlier page (the first one seen). */
    static Candidate better(Candidate current, Candidate challenger) {
        return current == null || challenger.confidence() > current.confidence() ? challenger : current;
    }
}
