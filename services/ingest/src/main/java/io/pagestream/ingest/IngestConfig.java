package io.pagestream.ingest;

import io.pagestream.schema.OcrMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Everything under {@code pagestream.ingest.*} (defaults in docs/configuration.md). */
@ConfigMapping(prefix = "pagestream.ingest")
public interface IngestConfig {

    /** Largest upload accepted, in bytes (512 MiB). */
    @WithDefault("536870912")
    long maxBytes();

    @WithDefault("2000")
    int maxPages();

    /** Most pixels of a raster page or of one image inside a PDF page, from the headers. */
    @WithDefault("100000000")
    long maxPixelsPerPage();

    @WithDefault("20")
    int maxQuestions();

    @WithDefault("1000")
    int maxQuestionLength();

    /** Longest side of a PDF page, in points (14,400 pt = 200 in, PDF's own limit). */
    @WithDefault("14400")
    double maxPageSidePoints();

    /** Most bytes the Flate streams of one PDF page may inflate to (128 MiB). */
    @WithDefault("134217728")
    long maxDecodedBytesPerPage();

    /** The OCR mode of a document whose submission names none: text, markdown or layout. */
    @WithDefault("markdown")
    OcrMode defaultMode();

    /** Documents rendered and published at the same time (each holds one transactional producer). */
    @WithDefault("4")
    int maxInFlight();

    /**
     * Submissions being received or processed at once, counted from their request line to their answer (uploads wait on
     * disk meanwhile); one more is answered 503 BUSY before its body is read.
     */
    @WithDefault("16")
    int maxConcurrentUploads();

    /** How long a submission waits for a free slot before 503. */
    @WithDefault("2s")
    Duration queueWait();

    /** How long a send, commit or idempotency read-back may wait for Kafka before 503. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Retry-After of a 503, in seconds. */
    @WithDefault("5")
    int retryAfterSeconds();

    @WithDefault("0.9")
    float jpegQuality();

    /** Names this instance in transactional ids: stable across restarts (a StatefulSet pod name, a host name). */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** Where page spools go (emptied at start-up). Uploads go to quarkus.http.body.uploads-directory. */
    @WithDefault("${java.io.tmpdir}/pagestream-ingest")
    String workDirectory();

    /** Documents remembered for idempotency (the oldest fall out first). */
    @WithDefault("200000")
    int idempotencyCapacity();

    /**
     * Prefix of the status URL returned with each document: ingest's own public path ({@code GET /v1/documents/{id}}),
     * as clients reach it (behind an Ingress, its public host).
     */
    @WithDefault("/v1/documents/")
    String statusUrlPrefix();

    /** The assembler's base URL: ingest forwards status reads to its {@code /v1/documents/{id}}. */
    @WithDefault("http://localhost:8082")
    URI resultsUrl();

    /** How long a status read waits for the assembler before 503. */
    @WithDefault("10s")
    Duration resultsTimeout();

    /**
     * How long after its submission an accepted document that the assembler does not know is shown as ACCEPTED. No
     * longer than the assembler's retention ({@code pagestream.assembler.retention}): after that, the assembler's 404
     * may mean it closed and removed the document, and stands.
     */
    @WithDefault("24h")
    Duration acceptedStatusWindow();

    /**
     * Mixed into the ids derived from idempotency keys (DocumentIds), so that nobody without it can compute the id a
     * key leads to. Required when authentication is on (CredentialCheck).
     */
    Optional<String> idSecret();

    Auth auth();

    Tenants tenants();

    /** Limits per tenant. */
    interface Tenants {
        /** Documents a tenant may have in flight (accepted, not yet ended); none: no limit. */
        OptionalInt maxInFlight();
    }

    Health health();

    Render render();

    /**
     * The render processes documents are opened and rendered in (docs/ingest.md#render-isolation): one per slot
     * ({@code max-in-flight}), each a JVM of its own.
     */
    interface Render {
        /** Heap cap of each render process (-Xmx): a page that needs more is refused RENDER_MEMORY. */
        @WithDefault("256m")
        String maxHeap();

        /** Longest wait for one page (or for opening the document) before the process is killed: RENDER_TIMEOUT. */
        @WithDefault("60s")
        Duration pageTimeout();

        /** Longest time one document may take to render, all pages together: RENDER_TIMEOUT. */
        @WithDefault("15m")
        Duration documentTimeout();

        /** Documents a render process renders before it is replaced by a fresh one. */
        @WithDefault("100")
        int documentsPerProcess();

        /** Most slots one client (API key principal, else remote address) holds at once; default all slots but one. */
        Optional<Integer> slotsPerClient();

        /** Longest wait for a new render process to be ready. */
        @WithDefault("30s")
        Duration startTimeout();

        /** Lines of the render processes' own output (stderr) logged per interval; the rest are counted. */
        @WithDefault("20")
        int logLines();

        @WithDefault("1m")
        Duration logInterval();

        /** More JVM options for the render processes. */
        Optional<List<String>> jvmOptions();
    }

    /** How background parts are restarted and when the service stops being ready or live (docs/ingest.md). */
    interface Health {
        /** Wait before restarting a part that died; doubles with each further death within the window. */
        @WithDefault("1s")
        Duration restartBackoff();

        @WithDefault("30s")
        Duration maxRestartBackoff();

        /** Restarts allowed within the window; one death more and liveness is DOWN. */
        @WithDefault("5")
        int maxRestarts();

        @WithDefault("10m")
        Duration restartWindow();

        /** A part showing no progress for this long is dead (above the publish timeout, its longest call). */
        @WithDefault("90s")
        Duration stuckAfter();

        /** Readiness goes DOWN once every render slot has been busy, none coming back, for this long. */
        @WithDefault("1m")
        Duration slotsExhaustedAfter();
    }

    interface Auth {
        /** Off in the embedded default; on in the Kubernetes manifests. */
        @WithDefault("false")
        boolean enabled();

        /** Accepted values of the X-API-Key header, of the tenant {@code default}. */
        Optional<List<String>> apiKeys();

        /** Each tenant's API keys: {@code pagestream.ingest.auth.tenants."<tenant>".api-keys}. */
        Map<String, Tenant> tenants();

        /** The claim of a bearer token that names its tenant; a token without it is refused. */
        @WithDefault("tenant")
        String tenantClaim();

        interface Tenant {
            /** Accepted values of the X-API-Key header, of this tenant. */
            Optional<List<String>> apiKeys();
        }
    }
}
