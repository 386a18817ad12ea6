package io.pagestream.internvl.engine;

/**
 * Where one request's time went, in milliseconds. Vision and prefix prefill are per page, so they are shared by all
 * prompts of the page and reported in full on each.
 *
 * @param queueMs      submitted until its page was admitted
 * @param visionMs     image encoding of its page
 * @param prefixMs     prefill of the page's shared prefix; 0 when not reused
 * @param prefillMs    prefill of this prompt's own tokens
 * @param firstTokenMs submitted until the first token
 * @param decodeMs     first token until finished
 * @param totalMs      submitted until finished
 */
public record Timings(
        double queueMs,
        double visionMs,
        double prefixMs,
        double prefillMs,
        double firstTokenMs,
        double decodeMs,
        double totalMs) {}
