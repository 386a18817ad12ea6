package io.pagestream.assembler.output;

/** Bounds of one output record: at most {@code maxPages} pages and {@code maxBytes} estimated bytes. */
public record ChunkLimits(int maxPages, int maxBytes) {
}
