package io.pagestream.worker.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** What the pipeline's own meters say about a benchmark run: how full its batches were, what commits cost. */
final class PipelineSummary {
    private PipelineSummary() {}

    static String of(MeterRegistry meters) {
        DistributionSummary batches =
                meters.get("pagestream.worker.batch.pages").summary();
        Timer batchTime = meters.get("pagestream.worker.batch.duration").timer();
        Timer commits = meters.get("pagestream.worker.commit").timer();
        Timer latency = meters.get("pagestream.worker.page.latency").timer();
        return String.format(
                "%d micro-batches of %.1f pages on average (%.0f ms each), %d transactions of %.0f ms "
                        + "on average, page latency poll to commit %.0f ms on average",
                batches.count(),
                batches.mean(),
                batchTime.mean(TimeUnit.MILLISECONDS),
                commits.count(),
                commits.mean(TimeUnit.MILLISECONDS),
                latency.mean(TimeUnit.MILLISECONDS));
    }
}
