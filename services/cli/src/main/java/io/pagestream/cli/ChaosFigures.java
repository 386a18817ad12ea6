package io.pagestream.cli;

import java.util.List;
import java.util.Map;

/**
 * What one run of {@code chaos} found in the pipeline's topics for its own documents. {@code duplicates} counts, per
 * topic, the records beyond the first for one identity (a document's request, a page's image or result, an output
 * chunk, a status event); {@code split} the submissions that became more than one document.
 */
record ChaosFigures(
        String name,
        int documents,
        int pages,
        List<String> faults,
        double wallSeconds,
        boolean allClosed,
        int documentsLost,
        int pagesLost,
        Map<String, Integer> duplicates,
        int split,
        Map<String, Integer> pageFailed,
        Map<String, Integer> incomplete,
        Map<String, Integer> rejected,
        double latencyP50Seconds,
        double latencyP99Seconds) {

    int duplicated() {
        return duplicates.values().stream().mapToInt(Integer::intValue).sum() + split;
    }

    /** Nothing lost, nothing duplicated. */
    boolean clean() {
        return documentsLost == 0 && pagesLost == 0 && duplicated() == 0;
    }
}
