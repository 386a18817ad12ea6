package io.pagestream.ingest.api;

import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.Outcome;
import io.pagestream.ingest.Submission;
import io.pagestream.ingest.auth.Tenants;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * {@code POST /v1/documents}: one document in, 202 with its id and status URL once it is on Kafka. The form goes to
 * the service as sent; {@link SubmissionResponses} turns the service's outcome into the HTTP answer.
 */
@Path("/v1/documents")
@Tag(name = "documents")
public class DocumentsResource {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Inject
    Ingest ingest;

    @Inject
    SecurityIdentity caller;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Submit a document",
            description =
                    "Accepts a PDF, TIFF, PNG, JPEG or WebP file (type decided from its content), renders every page "
                            + "and publishes one DocumentRequest, one PageImage per page and an ACCEPTED status event in one "
                            + "Kafka transaction. A retry with the same idempotency key, file and fields returns the same "
                            + "document (200) and publishes nothing. Refusals carry a reason code and are announced as REJECTED on documents.status.")
    @APIResponse(
            responseCode = "202",
            description = "Accepted: published to Kafka",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A retry of a document already accepted; nothing published",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "400",
            description = "Bad request fields: INVALID_REQUEST (no file, an unknown task or "
                    + "mode, groundAnswers not true or false, QA without questions, bad metadata or document id, "
                    + "a form that cannot be read, a single-valued field sent twice, a part in base64 or "
                    + "quoted-printable), "
                    + "TOO_MANY_QUESTIONS, QUESTION_TOO_LONG",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(responseCode = "401", description = "Authentication on and no valid API key or bearer token")
    @APIResponse(
            responseCode = "409",
            description = "IDEMPOTENCY_CONFLICT (key or id used for another file or with other questions, tasks, "
                    + "mode, groundAnswers or metadata; id taken, by this tenant or another) or "
                    + "IN_PROGRESS (the same submission is being processed)",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(
            responseCode = "413",
            description = "TOO_LARGE (the upload, or a form field over the field size limit)",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(
            responseCode = "415",
            description = "UNSUPPORTED_FORMAT (the file's type, or a request that is not multipart/form-data)",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(
            responseCode = "422",
            description = "EMPTY, CORRUPT_FILE, ENCRYPTED, TOO_MANY_PAGES, TOO_MANY_PIXELS, DECOMPRESSION_BOMB, "
                    + "RENDER_MEMORY, RENDER_TIMEOUT, RENDER_FAILED (the document's rendering ran out of memory, past "
                    + "its deadline, or crashed its render process)",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(
            responseCode = "429",
            description = "TENANT_QUOTA: the tenant has pagestream.ingest.tenants.max-in-flight documents in flight; "
                    + "retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(
            responseCode = "503",
            description = "BUSY, KAFKA_UNAVAILABLE, STORAGE or SHUTTING_DOWN: retry after "
                    + "Retry-After seconds with the same key",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(schema = @Schema(implementation = Refused.class)))
    public Response submit(
            @Parameter(description = "The document") @RestForm("file") FileUpload file,
            @Parameter(description = "A question to answer about the document (repeat the field for several)")
                    @RestForm("question")
                    List<String> questions,
            @Parameter(description = "OCR and/or QA, comma-separated or repeated; default OCR, plus QA with questions")
                    @RestForm("tasks")
                    List<String> tasks,
            @Parameter(description = "Makes retries safe: the same key always maps to the same document")
                    @RestForm("idempotencyKey")
                    String idempotencyKey,
            @Parameter(description = "Alternative to the idempotencyKey field") @RestHeader(IDEMPOTENCY_KEY)
                    String keyHeader,
            @Parameter(description = "Your own document id: " + DocumentIds.DOCUMENT_ID_RULE) @RestForm("documentId")
                    String documentId,
            @Parameter(description = "A JSON object of string values, passed through to the outputs")
                    @RestForm("metadata")
                    String metadata,
            @Schema(
                            description =
                                    "What the OCR of every page asks the model for (case-insensitive): text (plain "
                                            + "text in reading order), markdown (headings, lists, tables, formulas) or layout (regions with "
                                            + "boxes). Default: pagestream.ingest.default-mode, itself markdown unless configured",
                            type = SchemaType.STRING,
                            enumeration = {"text", "markdown", "layout"})
                    @RestForm("mode")
                    String mode,
            @Schema(
                            description = "true: each answer points to its evidence (a box around what the model read)",
                            type = SchemaType.BOOLEAN,
                            defaultValue = "false")
                    @RestForm("groundAnswers")
                    String groundAnswers,
            @RestHeader("traceparent") String traceparent,
            @Context HttpServerRequest request,
            @Parameter(hidden = true) MultipartFormDataInput form) {
        Optional<String> malformed = FormShape.problem(form);
        if (malformed.isPresent()) {
            return SubmissionResponses.of(
                    ingest.service().refuseForm(malformed.get()),
                    ingest.config().statusUrlPrefix());
        }
        boolean uploaded = file != null && file.uploadedFile() != null;
        String key =
                idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey : Utf8Header.decode(keyHeader);
        Outcome outcome = ingest.service()
                .submit(
                        new Submission(
                                Tenants.of(caller),
                                uploaded ? file.uploadedFile() : null,
                                uploaded ? file.size() : 0,
                                uploaded ? file.fileName() : null,
                                questions,
                                tasks,
                                key,
                                documentId,
                                metadata,
                                traceparent,
                                mode,
                                groundAnswers),
                        client(request));
        return SubmissionResponses.of(outcome, ingest.config().statusUrlPrefix());
    }

    /**
     * Who the render slots' fair share counts this request against: the authenticated principal (an API key, a token's
     * subject), else the remote address (behind a proxy, the address it forwarded where
     * {@code quarkus.http.proxy.proxy-address-forwarding} is on).
     */
    private String client(HttpServerRequest request) {
        if (!caller.isAnonymous()) {
            return "principal " + caller.getPrincipal().getName();
        }
        return request.remoteAddress() != null
                ? "address " + request.remoteAddress().hostAddress()
                : "address unknown";
    }

    /**
     * This endpoint's failures before it runs (the framework's multipart parser on a broken form) and any it did not
     * expect: see {@link MultipartFailures}.
     */
    @ServerExceptionMapper
    public Response failed(Exception e) {
        return MultipartFailures.answer(e, ingest.config().retryAfterSeconds());
    }

    /** The answer to an accepted submission. */
    public record Accepted(
            String documentId, String statusUrl, Integer pageCount, String mediaType, boolean duplicate) {}

    /** The answer to a refused submission, or a 503. */
    public record Refused(String documentId, String reason, String message) {}
}
