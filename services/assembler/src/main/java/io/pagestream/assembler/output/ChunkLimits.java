package io.pagestream.assembler.output;

/** Bounds of one output record: at most {@code maxPages} pages and {@code maxBytes} estimated bytes. */
public record ChunkLimits(int maxPages, int maxBytes) {
    /** One record, whatever the document's size: for a query, which answers in one piece. */
    public static final ChunkLimits UNBOUNDED = new ChunkLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    /** Whether sizes matter: measuring a page's structure costs an Avro encoding, worth it only when bounded. */
    boolean bytesBounded() {
        return maxBytes < Integer.MAX_VALUE;
    }
}
