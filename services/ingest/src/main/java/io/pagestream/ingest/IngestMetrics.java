package io.pagestream.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pagestream.ingest.limits.Reason;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The service's meters (Prometheus names in brackets): accepted documents, pages and bytes
 * ({@code pagestream_ingest_documents_total}, {@code _pages_total}, {@code _bytes_total} — rates give per second),
 * encoded page bytes ({@code _page_bytes_total}), retries answered from the table ({@code _duplicates_total}),
 * refusals by reason ({@code pagestream_ingest_rejected_total{reason}}), 503s by cause
 * ({@code pagestream_ingest_unavailable_total{cause}}), time per accepted document
 * ({@code pagestream_ingest_document_seconds}) and work in flight ({@code pagestream_ingest_in_flight}).
 */
public final class IngestMetrics {
    private final MeterRegistry registry;
    private final Counter documents;
    private final Counter pages;
    private final Counter bytes;
    private final Counter pageBytes;
    private final Counter duplicates;
    private final Timer documentTime;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.documents = Counter.builder("pagestream.ingest.documents")
                .description("Documents accepted")
                .register(registry);
        this.pages = Counter.builder("pagestream.ingest.pages")
                .description("Pages published")
                .register(registry);
        this.bytes = Counter.builder("pagestream.ingest.bytes")
                .description("Bytes of accepted uploads")
                .baseUnit("bytes")
                .register(registry);
        this.pageBytes = Counter.builder("pagestream.ingest.page.bytes")
                .description("Bytes of encoded page images")
                .baseUnit("bytes")
                .register(registry);
        this.duplicates = Counter.builder("pagestream.ingest.duplicates")
                .description("Retried submissions answered with the document already accepted")
                .register(registry);
        this.documentTime = Timer.builder("pagestream.ingest.document")
                .description("Time to inspect, render and publish one accepted document")
                .register(registry);
        // Registered up front, so a dashboard shows zero 503s rather than no data until the first one.
        for (String cause : List.of("busy", "kafka", "in-progress")) {
            unavailableCounter(cause);
        }
    }

    public void inFlight(Supplier<Number> busy) {
        registry.gauge("pagestream.ingest.in.flight", busy, s -> s.get().doubleValue());
    }

    void accepted(int pageCount, long uploadBytes, long encodedBytes, Duration took) {
        documents.increment();
        pages.increment(pageCount);
        bytes.increment(uploadBytes);
        pageBytes.increment(encodedBytes);
        documentTime.record(took);
    }

    void duplicate() {
        duplicates.increment();
    }

    void rejected(Reason reason) {
        Counter.builder("pagestream.ingest.rejected")
                .description("Submissions refused, by reason")
                .tag("reason", reason.code())
                .register(registry)
                .increment();
    }

    void unavailable(String cause) {
        unavailableCounter(cause).increment();
    }

    private Counter unavailableCounter(String cause) {
        return Counter.builder("pagestream.ingest.unavailable")
                .description("Submissions answered 503, or 429 for the tenant quota, by cause")
                .tag("cause", cause)
                .register(registry);
    }
}
