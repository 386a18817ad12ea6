package io.pagestream.worker.batch;

/** What the collector needs to know of a page to batch it. */
public interface Batchable {

    /** Prompts the page runs: each takes one engine slot. */
    int promptCount();

    /** Prefill tokens: tiles × tokens-per-tile plus the prompts' text tokens. */
    int tokens();

    /** A page retried after its batch failed runs alone, so that a failure is its own. */
    boolean isolated();
}
