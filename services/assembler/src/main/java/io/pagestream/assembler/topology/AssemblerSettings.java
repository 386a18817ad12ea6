package io.pagestream.assembler.topology;

import io.pagestream.assembler.output.ChunkLimits;
import io.pagestream.topics.Topics;
import java.time.Duration;

/**
 * The rules the assembler closes and forgets documents by, and how it sizes its output records.
 *
 * @param timeout           a document with no new page result for this long is closed as INCOMPLETE
 * @param retention         how long a closed document stays in the state stores (queryable, and shielding its outputs
 *                          from re-delivered results) before it is removed
 * @param punctuateInterval how often the wall clock is checked for documents past their timeout or retention
 * @param chunkMaxPages     most pages in one output record
 * @param chunkMaxBytes     most estimated bytes in one output record; below {@link Topics#RESULT_MAX_MESSAGE_BYTES}
 * @param statusMaxMissingPages most pages an INCOMPLETE status lists in {@code missingPages} (the first ones), so the
 *                          status of a huge document stays one small record; {@code pageCount - pagesDone} counts them
 *                          all
 */
public record AssemblerSettings(
        Duration timeout,
        Duration retention,
        Duration punctuateInterval,
        int chunkMaxPages,
        int chunkMaxBytes,
        int statusMaxMissingPages) {

    /** Room left under the topic's limit for what the size estimate does not count (record and batch headers). */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    /**
     * Most missing pages one status may list: 5 bytes each at worst in Avro, 500 KB, half of the 1 MB a topic without
     * its own {@code max.message.bytes} (as documents.status) accepts.
     */
    static final int MAX_LISTED_MISSING_PAGES = 100_000;

    public AssemblerSettings {
        requirePositive("timeout", timeout);
        requirePositive("retention", retention);
        requirePositive("punctuate interval", punctuateInterval);
        if (chunkMaxPages < 1) {
            throw new IllegalArgumentException("chunk max pages must be at least 1: " + chunkMaxPages);
        }
        int ceiling = Topics.RESULT_MAX_MESSAGE_BYTES - RECORD_OVERHEAD_BYTES;
        if (chunkMaxBytes < 1024 || chunkMaxBytes > ceiling) {
            throw new IllegalArgumentException("chunk max bytes must be within [1024, " + ceiling + "] (the output "
                    + "topics accept records of " + Topics.RESULT_MAX_MESSAGE_BYTES + " bytes): " + chunkMaxBytes);
        }
        if (statusMaxMissingPages < 0 || statusMaxMissingPages > MAX_LISTED_MISSING_PAGES) {
            throw new IllegalArgumentException("status max missing pages must be within [0, " + MAX_LISTED_MISSING_PAGES
                    + "]: " + statusMaxMissingPages);
        }
    }

    /** The defaults of the application's configuration (see {@code AssemblerConfig}). */
    public static AssemblerSettings defaults() {
        return new AssemblerSettings(
                Duration.ofHours(1), Duration.ofHours(24), Duration.ofSeconds(10), 500, 4 * 1024 * 1024, 1000);
    }

    public ChunkLimits chunkLimits() {
        return new ChunkLimits(chunkMaxPages, chunkMaxBytes);
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
    }
}
