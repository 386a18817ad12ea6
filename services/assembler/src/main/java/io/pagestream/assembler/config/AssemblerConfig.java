package io.pagestream.assembler.config;

import io.pagestream.assembler.topology.AssemblerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code pagestream.assembler.*}: when documents are closed and forgotten, and how outputs are chunked. */
@ConfigMapping(prefix = "pagestream.assembler")
public interface AssemblerConfig {

    /** A document with no new page result for this long is closed as INCOMPLETE, naming its missing pages. */
    @WithDefault("PT1H")
    Duration timeout();

    /** How long a closed document stays queryable (and ignores re-delivered results) before its state is removed. */
    @WithDefault("PT24H")
    Duration retention();

    /** How often the wall clock is checked for documents past their timeout or retention. */
    @WithDefault("PT10S")
    Duration punctuateInterval();

    /** Most pages in one documents.ocr or documents.answers record; larger documents are split by page range. */
    @WithDefault("500")
    int chunkMaxPages();

    /** Most estimated bytes in one output record (the output topics accept 8 MiB). */
    @WithDefault("4194304")
    int chunkMaxBytes();

    /**
     * Most pages an INCOMPLETE status lists in {@code missingPages}, the first ones; {@code pageCount - pagesDone}
     * counts them all.
     */
    @WithDefault("1000")
    int statusMaxMissingPages();

    default AssemblerSettings settings() {
        return new AssemblerSettings(
                timeout(), retention(), punctuateInterval(), chunkMaxPages(), chunkMaxBytes(), statusMaxMissingPages());
    }
}
