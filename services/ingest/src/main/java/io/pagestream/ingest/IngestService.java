package io.pagestream.ingest;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.idempotency.AcceptedDocuments;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.ingest.idempotency.RequestDigest;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.ingest.publish.DocumentClaim;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.ingest.publish.KafkaUnavailable;
import io.pagestream.ingest.publish.PageSpool;
import io.pagestream.ingest.publish.StatusPublisher;
import io.pagestream.ingest.quota.TenantQuota;
import io.pagestream.ingest.render.isolated.RenderPool;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.Task;
import io.pagestream.topics.TraceHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.jboss.logging.MDC;

/**
 * One submission from upload to Kafka: the form's checks, document id, idempotency check, the request's checks
 * (fields, size, format by content; see {@link SubmissionChecks}), limits, rendering page by page into a spool, then
 * one transaction. Every refusal is answered with a reason code and announced as a REJECTED event on
 * {@code documents.status}, except those that concern another document's id (an idempotency conflict) or an id that
 * cannot be a key. Plain Java, answering an {@link Outcome} that the REST layer alone turns into HTTP: the REST layer
 * and the bench both drive it.
 *
 * <p>Tracing: every record of a submission carries the caller's current trace context (the REST request's span) in
 * its headers, and its W3C traceparent in the Avro {@code traceparent} field; without a span (tracing off) the field
 * keeps the client's own {@code traceparent} header.
 */
public final class IngestService {
    private static final System.Logger LOG = System.getLogger(IngestService.class.getName());

    private final Limits limits;
    private final SubmissionChecks checks;
    private final RenderPool renders;
    private final DocumentPublisher publisher;
    private final StatusPublisher status;
    private final AcceptedDocuments accepted;
    private final IngestMetrics metrics;
    private final Path workDir;
    private final Duration queueWait;
    private final Duration lookupTimeout;
    private final int retryAfterSeconds;
    private final Clock clock;
    private final TraceHeaders traces;
    private final Optional<String> idSecret;
    private final TenantQuota quota;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    /** How often the table is looked up while another instance publishes a document this one also received. */
    private static final Duration OTHER_INSTANCE_POLL = Duration.ofMillis(200);

    public IngestService(
            Limits limits,
            RenderPool renders,
            DocumentPublisher publisher,
            StatusPublisher status,
            AcceptedDocuments accepted,
            IngestMetrics metrics,
            Path workDir,
            Duration queueWait,
            Duration lookupTimeout,
            int retryAfterSeconds,
            OcrMode defaultMode,
            Clock clock,
            TraceHeaders traces,
            Optional<String> idSecret,
            TenantQuota quota) {
        this.limits = limits;
        this.checks = new SubmissionChecks(limits, defaultMode);
        this.renders = renders;
        this.publisher = publisher;
        this.status = status;
        this.accepted = accepted;
        this.metrics = metrics;
        this.workDir = workDir;
        this.queueWait = queueWait;
        this.lookupTimeout = lookupTimeout;
        this.retryAfterSeconds = retryAfterSeconds;
        this.clock = clock;
        this.idSecret = idSecret;
        this.quota = quota;
        this.traces = traces;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Takes one submission from {@code client}, the name its fair share of the render slots is counted under (an API
     * key's principal, else the remote address).
     */
    public Outcome submit(Submission s, String client) {
        SubmissionChecks.Form form;
        try {
            form = checks.form(s);
        } catch (Rejected r) {
            metrics.rejected(r.reason());
            return new Outcome.Rejected(null, r.reason(), r.getMessage());
        }
        String given = form.documentId();
        String key = form.idempotencyKey();
        String id = given != null
                ? given
                : key != null ? DocumentIds.fromIdempotencyKey(s.tenant(), key, idSecret) : DocumentIds.random();
        MDC.put("documentId", id);
        Span.current().setAttribute(TraceHeaders.DOCUMENT_ID, id);
        try {
            if (given == null && key == null) {
                return process(s, id, form, false, client);
            }
            if (!inProgress.add(id)) {
                metrics.unavailable("in-progress");
                return new Outcome.Unavailable(
                        id,
                        Reason.IN_PROGRESS,
                        "a submission of this document is being processed; retry with the same key",
                        1);
            }
            try {
                Optional<AcceptedDocuments.Accepted> prior;
                try {
                    prior = accepted.lookup(id, lookupTimeout);
                } catch (TimeoutException e) {
                    metrics.unavailable("kafka");
                    LOG.log(
                            System.Logger.Level.WARNING,
                            String.format(
                                    "documentId=%s cannot check earlier submissions: Kafka did not answer "
                                            + "within %s",
                                    id, lookupTimeout));
                    return new Outcome.Unavailable(
                            id,
                            Reason.KAFKA_UNAVAILABLE,
                            "cannot read earlier submissions from Kafka in time; retry later with the same key",
                            retryAfterSeconds);
                }
                if (prior.isPresent()) {
                    return retried(s, id, form, prior.get());
                }
                return process(s, id, form, true, client);
            } finally {
                inProgress.remove(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Unavailable(id, Reason.SHUTTING_DOWN, "the service is stopping", retryAfterSeconds);
        } finally {
            MDC.remove("documentId");
        }
    }

    /** A form refused before its fields are read (its shape is wrong): it names no document, so nothing is announced. */
    public Outcome refuseForm(String message) {
        metrics.rejected(Reason.INVALID_REQUEST);
        return new Outcome.Rejected(null, Reason.INVALID_REQUEST, message);
    }

    /**
     * A submission naming an accepted document: a duplicate when it is the same tenant's same request (key, file, and
     * what it asks for), else a conflict. Refusals here are not announced: the id belongs to the accepted document.
     * Another tenant's document gets the answer of an id taken with another key, which says nothing of its owner.
     */
    private Outcome retried(Submission s, String id, SubmissionChecks.Form form, AcceptedDocuments.Accepted prior) {
        String key = form.idempotencyKey();
        byte[] sha;
        try {
            sha = sha256(s.file());
        } catch (IOException e) {
            return new Outcome.Rejected(id, Reason.INVALID_REQUEST, "the upload cannot be read");
        }
        if (!prior.tenant().equals(s.tenant()) || !Objects.equals(prior.idempotencyKey(), key)) {
            return conflict(id, "document " + id + " already exists");
        }
        String used = key != null
                ? "this idempotency key was already used for "
                : "document " + id + " was already sent with ";
        if (!Arrays.equals(prior.sha256(), sha)) {
            return conflict(id, used + "a different file");
        }
        SubmissionChecks.Request checked;
        try {
            checked = checks.request(s, form);
        } catch (Rejected r) {
            metrics.rejected(r.reason());
            return new Outcome.Rejected(id, r.reason(), r.getMessage());
        }
        byte[] asked = RequestDigest.of(
                checked.questions(),
                checked.tasks(),
                checked.ocr().mode(),
                checked.ocr().groundAnswers(),
                form.metadata());
        if (!Arrays.equals(prior.requestDigest(), asked)) {
            return conflict(id, used + "other questions, tasks, mode, groundAnswers or metadata");
        }
        metrics.duplicate();
        LOG.log(
                System.Logger.Level.INFO,
                String.format("documentId=%s retry of an accepted document: nothing published", id));
        return new Outcome.Duplicate(id, prior.pageCount(), prior.mediaType());
    }

    private Outcome conflict(String id, String message) {
        metrics.rejected(Reason.IDEMPOTENCY_CONFLICT);
        return new Outcome.Rejected(id, Reason.IDEMPOTENCY_CONFLICT, message);
    }

    /**
     * Checks, renders and publishes a new document. With {@code claimed} (a deterministic id, which another instance
     * may be publishing at the same moment) it publishes under a {@link DocumentClaim}: the table is looked up again
     * once the claim is taken, and a claim taken over by another instance waits for that instance's outcome.
     */
    private Outcome process(Submission s, String id, SubmissionChecks.Form form, boolean claimed, String client)
            throws InterruptedException {
        Optional<String> waits = quota.refusal(s.tenant());
        if (waits.isPresent()) {
            metrics.unavailable("tenant-quota");
            LOG.log(System.Logger.Level.INFO, String.format("documentId=%s must wait: %s", id, waits.get()));
            return new Outcome.Unavailable(id, Reason.TENANT_QUOTA, waits.get(), retryAfterSeconds);
        }
        Instant submittedAt = clock.instant();
        SubmissionChecks.Request checked;
        try {
            checked = checks.request(s, form);
        } catch (Rejected r) {
            return reject(id, s, r);
        }
        List<String> questions = checked.questions();
        List<Task> tasks = checked.tasks();
        OcrOptions ocr = checked.ocr();
        DocumentFormat format = checked.format();
        String key = form.idempotencyKey();

        RenderPool.Lease lease = renders.acquire(client, queueWait);
        if (lease == null) {
            return busy(id, "all %d render slots busy, or this client's share of them".formatted(renders.slots()));
        }
        DocumentPublisher.Slot slot;
        try {
            slot = publisher.acquire(queueWait);
        } catch (InterruptedException e) {
            lease.close();
            throw e;
        }
        if (slot == null) {
            lease.close();
            return busy(id, "all %d publishing slots busy".formatted(publisher.slots()));
        }
        long started = System.nanoTime();
        try (lease;
                slot;
                PageSpool spool = new PageSpool(workDir)) {
            byte[] sha = sha256(s.file());
            int pageCount = lease.open(s.file(), format, limits);
            Context trace = Context.current();
            String traceparent = traceparent(trace, s);
            LOG.log(
                    System.Logger.Level.INFO,
                    String.format(
                            "documentId=%s %s, %d bytes, %d pages, %s%s: rendering",
                            id,
                            format.mediaType(),
                            s.size(),
                            pageCount,
                            ocr.mode(),
                            ocr.groundAnswers() ? ", grounded answers" : ""));
            for (int i = 0; i < pageCount; i++) {
                spool.add(lease.page(i));
            }
            DocumentRequest request = DocumentRequest.newBuilder()
                    .setDocumentId(id)
                    .setIdempotencyKey(key)
                    .setFileName(s.fileName())
                    .setMediaType(format.mediaType())
                    .setSizeBytes(s.size())
                    .setSha256(HexFormat.of().formatHex(sha))
                    .setPageCount(pageCount)
                    .setTasks(tasks)
                    .setQuestions(questions)
                    .setMetadata(form.metadata())
                    .setSubmittedAt(submittedAt)
                    .setTraceparent(traceparent)
                    .setOcrMode(ocr.mode())
                    .setGroundAnswers(ocr.groundAnswers())
                    .setTenant(s.tenant())
                    .build();
            DocumentStatus acceptedEvent = DocumentStatus.newBuilder()
                    .setDocumentId(id)
                    .setState(DocumentState.ACCEPTED)
                    .setPageCount(pageCount)
                    .setPagesDone(0)
                    .setAt(clock.instant())
                    .setTraceparent(traceparent)
                    .setTenant(s.tenant())
                    .build();
            IntFunction<PageImage.Builder> page = i -> PageImage.newBuilder()
                    .setDocumentId(id)
                    .setPageIndex(i)
                    .setPageCount(pageCount)
                    .setTasks(tasks)
                    .setQuestions(questions)
                    .setSubmittedAt(submittedAt)
                    .setTraceparent(traceparent)
                    .setOcrMode(ocr.mode())
                    .setGroundAnswers(ocr.groundAnswers())
                    .setTenant(s.tenant());
            if (!claimed) {
                slot.publish(request, spool, page, acceptedEvent, trace);
            } else {
                try (DocumentClaim claim = publisher.claim(id)) {
                    // Whatever another instance committed before the claim was taken is visible now.
                    Optional<AcceptedDocuments.Accepted> prior = accepted.lookup(id, lookupTimeout);
                    if (prior.isPresent()) {
                        return retried(s, id, form, prior.get());
                    }
                    claim.publish(request, spool, page, acceptedEvent, trace);
                } catch (DocumentClaim.Superseded e) {
                    return outcomeOfOtherInstance(s, id, form);
                }
            }
            accepted.put(new AcceptedDocuments.Accepted(
                    id, s.tenant(), key, sha, RequestDigest.of(request), pageCount, format.mediaType(), submittedAt));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.accepted(pageCount, s.size(), spool.bytes(), took);
            LOG.log(
                    System.Logger.Level.INFO,
                    String.format(
                            "documentId=%s accepted: %d pages, %d image bytes, %d ms",
                            id, pageCount, spool.bytes(), took.toMillis()));
            return new Outcome.Accepted(id, pageCount, format.mediaType());
        } catch (Rejected r) {
            return reject(id, s, r);
        } catch (TimeoutException e) {
            metrics.unavailable("kafka");
            return new Outcome.Unavailable(
                    id,
                    Reason.KAFKA_UNAVAILABLE,
                    "cannot read earlier submissions from Kafka in time; retry later with the same key",
                    retryAfterSeconds);
        } catch (KafkaUnavailable e) {
            metrics.unavailable("kafka");
            LOG.log(System.Logger.Level.WARNING, String.format("documentId=%s not published: %s", id, e.getMessage()));
            return new Outcome.Unavailable(
                    id,
                    Reason.KAFKA_UNAVAILABLE,
                    "Kafka did not take the document in time; retry later"
                            + (key != null
                                    ? " with the same idempotency key"
                                    : " (send an idempotency key to make retries safe)"),
                    retryAfterSeconds);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, String.format("documentId=%s work files failed", id), e);
            return new Outcome.Unavailable(
                    id, Reason.STORAGE, "ingest could not write its work files; retry later", retryAfterSeconds);
        } catch (RenderPool.Unavailable e) {
            LOG.log(System.Logger.Level.ERROR, String.format("documentId=%s not rendered: %s", id, e.getMessage()));
            metrics.unavailable("render");
            return new Outcome.Unavailable(
                    id, Reason.BUSY, "ingest cannot render documents right now; retry later", retryAfterSeconds);
        }
    }

    private Outcome busy(String id, String why) {
        metrics.unavailable("busy");
        LOG.log(System.Logger.Level.INFO, String.format("documentId=%s refused for now: %s", id, why));
        return new Outcome.Unavailable(id, Reason.BUSY, "ingest is at capacity; retry later", retryAfterSeconds);
    }

    /**
     * Another instance took the claim on this document while this one was publishing it: this attempt was aborted, so
     * the answer is the other's document once it is committed (a duplicate, or a conflict when it differs), or
     * IN_PROGRESS when it is not committed within the lookup timeout.
     */
    private Outcome outcomeOfOtherInstance(Submission s, String id, SubmissionChecks.Form form)
            throws InterruptedException {
        LOG.log(
                System.Logger.Level.INFO,
                String.format("documentId=%s is being published by another instance: waiting for its outcome", id));
        long deadline = System.nanoTime() + lookupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Optional<AcceptedDocuments.Accepted> other =
                        accepted.lookup(id, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (other.isPresent()) {
                    return retried(s, id, form, other.get());
                }
            } catch (TimeoutException e) {
                break;
            }
            Thread.sleep(OTHER_INSTANCE_POLL.toMillis());
        }
        metrics.unavailable("in-progress");
        return new Outcome.Unavailable(
                id,
                Reason.IN_PROGRESS,
                "another instance is publishing this document; retry with the same key",
                retryAfterSeconds);
    }

    private Outcome reject(String id, Submission s, Rejected r) {
        metrics.rejected(r.reason());
        LOG.log(
                System.Logger.Level.INFO,
                String.format("documentId=%s rejected %s: %s", id, r.reason(), r.getMessage()));
        if (r.getCause() != null) {
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("documentId=%s cause", id), r.getCause());
        }
        Context trace = Context.current();
        status.send(
                DocumentStatus.newBuilder()
                        .setDocumentId(id)
                        .setState(DocumentState.REJECTED)
                        .setReasonCode(r.reason().code())
                        .setMessage(r.getMessage())
                        .setAt(clock.instant())
                        .setTraceparent(traceparent(trace, s))
                        .setTenant(s.tenant())
                        .build(),
                trace);
        return new Outcome.Rejected(id, r.reason(), r.getMessage());
    }

    /** The W3C traceparent of {@code trace}'s span; the client's own header when there is none (tracing off). */
    private String traceparent(Context trace, Submission s) {
        String current = traces.traceparent(trace);
        return current != null ? current : s.traceparent();
    }

    static byte[] sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            byte[] buffer = new byte[1 << 20];
            while (in.read(buffer) >= 0) {
                // digesting
            }
        }
        return digest.digest();
    }
}
