package io.pagestream.ingest;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.format.FormatDetector;
import io.pagestream.ingest.idempotency.AcceptedDocuments;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.ingest.publish.KafkaUnavailable;
import io.pagestream.ingest.publish.PageSpool;
import io.pagestream.ingest.publish.StatusPublisher;
import io.pagestream.ingest.render.PageEncoder;
import io.pagestream.ingest.render.PageSource;
import io.pagestream.ingest.render.PageSources;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One submission from upload to Kafka: document id, idempotency check, request checks, format by content, limits,
 * rendering page by page into a spool, then one transaction. Every refusal is answered with a reason code and
 * announced as a REJECTED event on {@code documents.status}, except those that concern another document's id (an
 * idempotency conflict) or an id that cannot be a key. Plain Java: the REST layer and the bench both drive it.
 *
 * <p>Tracing: every record of a submission carries the caller's current trace context (the REST request's span) in
 * its headers, and its W3C traceparent in the Avro {@code traceparent} field; without a span (tracing off) the field
 * keeps the client's own {@code traceparent} header.
 */
public final class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);
    public static final int MAX_METADATA_ENTRIES = 64;
    public static final int MAX_METADATA_KEY = 256;
    public static final int MAX_METADATA_VALUE = 4096;
    /** Span attribute naming the document a span worked on. */

    private final Limits limits;
    private final PageEncoder encoder;
    private final DocumentPublisher publisher;
    private final StatusPublisher status;
    private final AcceptedDocuments accepted;
    private final IngestMetrics metrics;
    private final Path workDir;
    private final Duration queueWait;
    private final Duration lookupTimeout;
    private final int retryAfterSeconds;
    private final OcrMode defaultMode;
    private final Clock clock;
    private final TraceHeaders traces;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

    public IngestService(Limits limits, PageEncoder encoder, DocumentPublisher publisher, StatusPublisher status,
            AcceptedDocuments accepted, IngestMetrics metrics, Path workDir, Duration queueWait,
            Duration lookupTimeout, int retryAfterSeconds, OcrMode defaultMode, Clock clock, TraceHeaders traces) {
        this.limits = limits;
        this.encoder = encoder;
        this.publisher = publisher;
        this.status = status;
        this.accepted = accepted;
        this.metrics = metrics;
        this.workDir = workDir;
        this.queueWait = queueWait;
        this.lookupTimeout = lookupTimeout;
        this.retryAfterSeconds = retryAfterSeconds;
        this.defaultMode = defaultMode;
        this.clock = clock;
        this.traces = traces;
    }

    public Limits limits() {
        return limits;
    }

    public Outcome submit(Submission s) {
        String key = blankToNull(s.idempotencyKey());
        String given = blankToNull(s.documentId());
        if (given != null && !DocumentIds.isValidDocumentId(given)) {
            metrics.rejected(Reason.INVALID_REQUEST);
            return Outcome.refused(400, null, Reason.INVALID_REQUEST,
                    "documentId must be 1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
        if (key != null && !DocumentIds.isValidIdempotencyKey(key)) {
            metrics.rejected(Reason.INVALID_REQUEST);
            return Outcome.refused(400, null, Reason.INVALID_REQUEST,
                    "the idempotency key must be 1 to 255 characters without control characters");
        }
        String id = given != null ? given : key != null ? DocumentIds.fromIdempotencyKey(key) : DocumentIds.random();
        MDC.put("documentId", id);
        Span.current().setAttribute(TraceHeaders.DOCUMENT_ID, id);
        try {
            if (given == null && key == null) {
                return process(s, id, key);
            }
            if (!inProgress.add(id)) {
                metrics.unavailable("in-progress");
                return Outcome.later(409, id, "IN_PROGRESS",
                        "a submission of this document is being processed; retry with the same key", 1);
            }
            try {
                Optional<AcceptedDocuments.Accepted> prior;
                try {
                    prior = accepted.lookup(id, lookupTimeout);
                } catch (TimeoutException e) {
                    metrics.unavailable("kafka");
                    LOG.warnf("documentId=%s cannot check earlier submissions: Kafka did not answer within %s", id, lookupTimeout);
                    return Outcome.later(503, id, "KAFKA_UNAVAILABLE",
                            "cannot read earlier submissions from Kafka in time; retry later with the same key",
                            retryAfterSeconds);
                }
                if (prior.isPresent()) {
                    return retried(s, id, key, prior.get());
                }
                return process(s, id, key);
            } finally {
                inProgress.remove(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.later(503, id, "SHUTTING_DOWN", "the service is stopping", retryAfterSeconds);
        } finally {
            MDC.remove("documentId");
        }
    }

    private Outcome retried(Submission s, String id, String key, AcceptedDocuments.Accepted prior) {
        byte[] sha;
        try {
            sha = sha256(s.file());
        } catch (IOException e) {
            return Outcome.refused(400, id, Reason.INVALID_REQUEST, "the upload cannot be read");
        }
        if (Objects.equals(prior.idempotencyKey(), key) && Arrays.equals(prior.sha256(), sha)) {
            metrics.duplicate();
            LOG.infof("documentId=%s retry of an accepted document: nothing published", id);
            return Outcome.duplicate(id, prior.pageCount(), prior.mediaType());
        }
        metrics.rejected("IDEMPOTENCY_CONFLICT");
        return Outcome.refused(409, id, "IDEMPOTENCY_CONFLICT", key != null && Objects.equals(prior.idempotencyKey(), key)
                ? "this idempotency key was already used for a different file"
                : "document " + id + " already exists");
    }

    private Outcome process(Submission s, String id, String key) throws InterruptedException {
        Instant submittedAt = clock.instant();
        List<Task> tasks;
        List<String> questions;
        OcrOptions ocr;
        DocumentFormat format;
        try {
            questions = questions(s.questions());
            tasks = tasks(s.tasks(), questions);
            metadata(s.metadata());
            ocr = OcrOptions.parse(s.mode(), s.groundAnswers(), defaultMode);
            if (s.size() == 0) {
                throw Rejected.unprocessable(Reason.EMPTY, "the file is empty");
            }
            if (s.size() > limits.maxBytes()) {
                throw new Rejected(Reason.TOO_LARGE, 413, "the file has " + s.size() + " bytes; the limit is "
                        + limits.maxBytes());
            }
            format = FormatDetector.detect(s.file());
            if (!format.supported()) {
                throw new Rejected(Reason.UNSUPPORTED_FORMAT, 415, format == DocumentFormat.UNKNOWN
                        ? "the file is not a PDF, TIFF, PNG, JPEG or WebP (decided from its content)"
                        : format + " (" + format.mediaType() + ") is not supported; send PDF, TIFF, PNG, JPEG or WebP");
            }
        } catch (Rejected r) {
            return reject(id, s, r);
        } catch (IOException e) {
            return reject(id, s, Rejected.corrupt("the upload cannot be read", e));
        }

        DocumentPublisher.Slot slot = publisher.acquire(queueWait);
        if (slot == null) {
            metrics.unavailable("busy");
            LOG.infof("documentId=%s refused for now: all %d publishing slots busy", id, publisher.slots());
            return Outcome.later(503, id, "BUSY", "ingest is at capacity; retry later", retryAfterSeconds);
        }
        long started = System.nanoTime();
        try (slot; PageSource source = PageSources.open(s.file(), format, limits);
                PageSpool spool = new PageSpool(workDir)) {
            byte[] sha = sha256(s.file());
            int pageCount = source.pageCount();
            Context trace = Context.current();
            String traceparent = traceparent(trace, s);
            LOG.infof("documentId=%s %s, %d bytes, %d pages, %s%s: rendering", id, format.mediaType(), s.size(),
                    pageCount, ocr.mode(), ocr.groundAnswers() ? ", grounded answers" : "");
            for (int i = 0; i < pageCount; i++) {
                spool.add(encoder.encode(source.render(i)));
            }
            DocumentRequest request = DocumentRequest.newBuilder().setDocumentId(id).setIdempotencyKey(key)
                    .setFileName(s.fileName()).setMediaType(format.mediaType()).setSizeBytes(s.size())
                    .setSha256(HexFormat.of().formatHex(sha)).setPageCount(pageCount).setTasks(tasks)
                    .setQuestions(questions).setMetadata(Map.copyOf(s.metadata())).setSubmittedAt(submittedAt)
                    .setTraceparent(traceparent).setOcrMode(ocr.mode()).setGroundAnswers(ocr.groundAnswers()).build();
            DocumentStatus acceptedEvent = DocumentStatus.newBuilder().setDocumentId(id)
                    .setState(DocumentState.ACCEPTED).setPageCount(pageCount).setPagesDone(0)
                    .setAt(clock.instant()).setTraceparent(traceparent).build();
            slot.publish(request, spool, i -> PageImage.newBuilder().setDocumentId(id).setPageIndex(i)
                    .setPageCount(pageCount).setTasks(tasks).setQuestions(questions).setSubmittedAt(submittedAt)
                    .setTraceparent(traceparent).setOcrMode(ocr.mode()).setGroundAnswers(ocr.groundAnswers()),
                    acceptedEvent, trace);
            accepted.put(new AcceptedDocuments.Accepted(id, key, sha, pageCount, format.mediaType()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.accepted(pageCount, s.size(), spool.bytes(), took);
            LOG.infof("documentId=%s accepted: %d pages, %d image bytes, %d ms", id, pageCount, spool.bytes(),
                    took.toMillis());
            return Outcome.accepted(id, pageCount, format.mediaType());
        } catch (Rejected r) {
            return reject(id, s, r);
        } catch (KafkaUnavailable e) {
            metrics.unavailable("kafka");
            LOG.warnf("documentId=%s not published: %s", id, e.getMessage());
            return Outcome.later(503, id, "KAFKA_UNAVAILABLE", "Kafka did not take the document in time; retry later"
                    + (key != null ? " with the same idempotency key" : " (send an idempotency key to make retries safe)"),
                    retryAfterSeconds);
        } catch (IOException e) {
            LOG.errorf(e, "documentId=%s work files failed", id);
            return Outcome.later(503, id, "STORAGE", "ingest could not write its work files; retry later",
                    retryAfterSeconds);
        } catch (OutOfMemoryError e) {
            LOG.errorf("documentId=%s ran out of memory while rendering", id);
            return Outcome.later(503, id, "BUSY", "ingest is out of memory; retry later", retryAfterSeconds);
        }
    }

    private Outcome reject(String id, Submission s, Rejected r) {
        metrics.rejected(r.reason());
        LOG.infof("documentId=%s rejected %s: %s", id, r.reason(), r.getMessage());
        if (r.getCause() != null) {
            LOG.debugf(r.getCause(), "documentId=%s cause", id);
        }
        Context trace = Context.current();
        status.send(DocumentStatus.newBuilder().setDocumentId(id).setState(DocumentState.REJECTED)
                .setReasonCode(r.reason()).setMessage(r.getMessage()).setAt(clock.instant())
                .setTraceparent(traceparent(trace, s)).build(), trace);
        return Outcome.refused(r.httpStatus(), id, r.reason(), r.getMessage());
    }

    /** The W3C traceparent of {@code trace}'s span; the client's own header when there is none (tracing off). */
    private String traceparent(Context trace, Submission s) {
        String current = traces.traceparent(trace);
        return current != null ? current : s.traceparent();
    }

    private List<String> questions(List<String> raw) throws Rejected {
        List<String> out = new ArrayList<>();
        for (String q : raw) {
            String t = q == null ? "" : q.strip();
            if (t.isEmpty()) {
                throw new Rejected(Reason.INVALID_REQUEST, 400, "a question is empty");
            }
            if (t.length() > limits.maxQuestionLength()) {
                throw new Rejected(Reason.QUESTION_TOO_LONG, 400, "question " + (out.size() + 1) + " has "
                        + t.length() + " characters; the limit is " + limits.maxQuestionLength());
            }
            out.add(t);
        }
        if (out.size() > limits.maxQuestions()) {
            throw new Rejected(Reason.TOO_MANY_QUESTIONS, 400, out.size() + " questions; the limit is "
                    + limits.maxQuestions());
        }
        return out;
    }

    private static List<Task> tasks(List<String> raw, List<String> questions) throws Rejected {
        Set<Task> tasks = new LinkedHashSet<>();
        for (String entry : raw) {
            for (String name : entry.split(",")) {
                String n = name.strip().toUpperCase(Locale.ROOT);
                if (n.isEmpty()) {
                    continue;
                }
                switch (n) {
                    case "OCR" -> tasks.add(Task.OCR);
                    case "QA" -> tasks.add(Task.QA);
                    default -> throw new Rejected(Reason.INVALID_REQUEST, 400, "unknown task '" + name.strip()
                            + "' (tasks are OCR and QA)");
                }
            }
        }
        if (tasks.isEmpty()) {
            tasks.add(Task.OCR);
            if (!questions.isEmpty()) {
                tasks.add(Task.QA);
            }
        }
        if (tasks.contains(Task.QA) && questions.isEmpty()) {
            throw new Rejected(Reason.INVALID_REQUEST, 400, "task QA needs at least one question");
        }
        if (!tasks.contains(Task.QA) && !questions.isEmpty()) {
            throw new Rejected(Reason.INVALID_REQUEST, 400, "questions were sent but the tasks do not include QA");
        }
        return List.copyOf(tasks);
    }

    private static void metadata(Map<String, String> metadata) throws Rejected {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new Rejected(Reason.INVALID_REQUEST, 400, "metadata has " + metadata.size()
                    + " entries; the limit is " + MAX_METADATA_ENTRIES);
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().length() > MAX_METADATA_KEY || e.getValue().length() > MAX_METADATA_VALUE) {
                throw new Rejected(Reason.INVALID_REQUEST, 400, "metadata keys may have " + MAX_METADATA_KEY
                        + " characters and values " + MAX_METADATA_VALUE);
            }
        }
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

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
