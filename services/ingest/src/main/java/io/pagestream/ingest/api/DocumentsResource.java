package io.pagestream.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.Outcome;
import io.pagestream.ingest.Submission;
import io.pagestream.ingest.limits.Reason;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/** {@code POST /v1/documents}: one document in, 202 with its id and status URL once it is on Kafka. */
@Path("/v1/documents")
@Tag(name = "documents")
public class DocumentsResource {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Inject
    Ingest ingest;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a document",
            description = "Accepts a PDF, TIFF, PNG, JPEG or WebP file (type decided from its content), renders every page "
                    + "and publishes one DocumentRequest, one PageImage per page and an ACCEPTED status event in one "
                    + "Kafka transaction. A retry with the same idempotency key returns the same document (200) and "
                    + "publishes nothing. Refusals carry a reason code and are announced as REJECTED on documents.status.")
    @APIResponse(responseCode = "202", description = "Accepted: published to Kafka",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "200", description = "A retry of a document already accepted; nothing published",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Bad request fields: INVALID_REQUEST (no file, an unknown task or "
            + "mode, groundAnswers not true or false, QA without questions, bad metadata or document id), "
            + "TOO_MANY_QUESTIONS, QUESTION_TOO_LONG",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(responseCode = "401", description = "Authentication on and no valid API key or bearer token")
    @APIResponse(responseCode = "409", description = "IDEMPOTENCY_CONFLICT (key used for another file, id taken) or "
            + "IN_PROGRESS (the same submission is being processed)",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(responseCode = "413", description = "TOO_LARGE", content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(responseCode = "415", description = "UNSUPPORTED_FORMAT", content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(responseCode = "422", description = "EMPTY, CORRUPT_FILE, ENCRYPTED, TOO_MANY_PAGES, TOO_MANY_PIXELS, DECOMPRESSION_BOMB",
            content = @Content(schema = @Schema(implementation = Refused.class)))
    @APIResponse(responseCode = "503", description = "BUSY or KAFKA_UNAVAILABLE: retry after Retry-After seconds with the same key",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(schema = @Schema(implementation = Refused.class)))
    public Response submit(
            @Parameter(description = "The document") @RestForm("file") FileUpload file,
            @Parameter(description = "A question to answer about the document (repeat the field for several)")
            @RestForm("question") List<String> questions,
            @Parameter(description = "OCR and/or QA, comma-separated or repeated; default OCR, plus QA with questions")
            @RestForm("tasks") List<String> tasks,
            @Parameter(description = "Makes retries safe: the same key always maps to the same document")
            @RestForm("idempotencyKey") String idempotencyKey,
            @Parameter(description = "Alternative to the idempotencyKey field") @RestHeader(IDEMPOTENCY_KEY) String keyHeader,
            @Parameter(description = "Your own document id (letters, digits, . _ : -; at most 128)")
            @RestForm("documentId") String documentId,
            @Parameter(description = "A JSON object of string values, passed through to the outputs")
            @RestForm("metadata") String metadata,
            @Schema(description = "What the OCR of every page asks the model for (case-insensitive): text (plain "
                    + "text in reading order), markdown (headings, lists, tables, formulas) or layout (regions with "
                    + "boxes). Default: pagestream.ingest.default-mode, itself markdown unless configured",
                    type = SchemaType.STRING, enumeration = {"text", "markdown", "layout"})
            @RestForm("mode") String mode,
            @Schema(description = "true: each answer points to its evidence (a box around what the model read)",
                    type = SchemaType.BOOLEAN, defaultValue = "false")
            @RestForm("groundAnswers") String groundAnswers,
            @RestHeader("traceparent") String traceparent) {
        if (file == null || file.uploadedFile() == null) {
            return refused(Outcome.refused(400, null, Reason.INVALID_REQUEST, "the multipart field 'file' is missing"));
        }
        Map<String, String> meta;
        try {
            meta = parseMetadata(metadata);
        } catch (IllegalArgumentException e) {
            return refused(Outcome.refused(400, null, Reason.INVALID_REQUEST, e.getMessage()));
        }
        String key = idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey : keyHeader;
        Outcome outcome = ingest.service().submit(new Submission(file.uploadedFile(), file.size(), file.fileName(),
                questions, tasks, key, documentId, meta, traceparent, mode, groundAnswers));
        if (outcome.isAccepted()) {
            String statusUrl = ingest.config().statusUrlPrefix() + outcome.documentId();
            return Response.status(outcome.httpStatus()).location(URI.create(statusUrl))
                    .entity(new Accepted(outcome.documentId(), statusUrl, outcome.pageCount(), outcome.mediaType(),
                            outcome.duplicate()))
                    .type(MediaType.APPLICATION_JSON).build();
        }
        return refused(outcome);
    }

    static Response refused(Outcome outcome) {
        Response.ResponseBuilder r = Response.status(outcome.httpStatus())
                .entity(new Refused(outcome.documentId(), outcome.reason(), outcome.message()))
                .type(MediaType.APPLICATION_JSON);
        if (outcome.retryAfterSeconds() != null) {
            r.header("Retry-After", outcome.retryAfterSeconds());
        }
        return r.build();
    }

    private Map<String, String> parseMetadata(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return Map.of();
        }
        try {
            if (!(json.readTree(metadata) instanceof ObjectNode object)) {
                throw new IllegalArgumentException("metadata must be a JSON object of string values");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : object.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("metadata value '" + e.getKey() + "' is not a string");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The answer to an accepted submission. */
    public record Accepted(String documentId, String statusUrl, Integer pageCount, String mediaType,
            boolean duplicate) {
    }

    /** The answer to a refused submission, or a 503. */
    public record Refused(String documentId, String reason, String message) {
    }
}
