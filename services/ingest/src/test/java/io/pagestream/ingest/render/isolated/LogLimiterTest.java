package io.pagestream.ingest.render.isolated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> logged = new ArrayList<>();
    private final LogLimiter limiter = new LogLimiter(3, Duration.ofSeconds(10), now::get, logged::add);

    @Test
    void passesTheFirstLinesOfAnIntervalAndCountsTheRestInOneLine() {
        for (int i = 0; i < 1000; i++) {
            limiter.line("recursion is too deep " + i);
        }
        assertEquals(List.of("recursion is too deep 0", "recursion is too deep 1", "recursion is too deep 2"), logged);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        limiter.roll();
        assertEquals(4, logged.size());
        assertEquals("suppressed 997 more lines of render process output (at most 3 per PT10S)", logged.get(3));
        limiter.line("next interval");
        assertEquals("next interval", logged.get(4));
    }

    @Test
    void aQuietIntervalLogsNoSummary() {
        limiter.line("one");
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        limiter.roll();
        assertEquals(List.of("one"), logged);
    }

    @Test
    void closingReportsWhatTheUnfinishedIntervalSuppressed() {
        for (int i = 0; i < 5; i++) {
            limiter.line("line " + i);
        }
        limiter.close();
        assertEquals("suppressed 2 more lines of render process output (at most 3 per PT10S)", logged.get(3));
    }
}
