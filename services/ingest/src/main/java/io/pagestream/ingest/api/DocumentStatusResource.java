package io.pagestream.ingest.api;

import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.auth.Tenants;
import io.pagestream.ingest.idempotency.AcceptedDocuments;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.ingest.publish.DocumentClaim;
import io.pagestream.ingest.publish.KafkaUnavailable;
import io.pagestream.ingest.query.AcceptedView;
import io.pagestream.ingest.query.AssemblerClient;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/documents/{id}} on the public host, behind the same authentication as the submit: the assembler's
 * answer, passed on as it came, except that a document ingest accepted and the assembler does not know yet (it reads
 * {@code documents.requests} behind ingest) is ACCEPTED, never 404. The caller's tenant goes to the assembler, which
 * answers another tenant's document as it answers an unknown id. Every 404 is ingest's own, one body for an unknown,
 * another tenant's or a deleted document. {@code DELETE} publishes the deletion of the caller's own document.
 */
@Path("/v1/documents/{id}")
@Tag(name = "documents")
public class DocumentStatusResource {
    private static final System.Logger LOG = System.getLogger(DocumentStatusResource.class.getName());
    /** What a client needs of the assembler's headers: the body's type, when to retry, who read the document. */
    private static final List<String> FORWARDED_HEADERS =
            List.of("Content-Type", "Retry-After", "X-Pagestream-Served-By");

    /** What a 404 says, whatever the reason: nothing tells an unknown id from another tenant's document. */
    static final String UNKNOWN =
            "unknown document: never accepted for this tenant, deleted, or removed after the " + "retention";

    /** Body of a 404 or 503. */
    @Schema(description = "Why a document could not be shown")
    public record Problem(String documentId, String error) {}

    @Inject
    Ingest ingest;

    @Inject
    AssemblerClient assembler;

    @Inject
    SecurityIdentity caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Status, progress and results of a document",
            description = "The assembler's view of the document (PROCESSING, COMPLETED or INCOMPLETE, with results "
                    + "once closed), or ACCEPTED for a document accepted but not yet seen by the assembler.")
    @Parameter(
            name = "results",
            in = ParameterIn.QUERY,
            description = "Include the OCR and answers of a closed document (passed to the assembler)",
            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "true"))
    @APIResponse(
            responseCode = "200",
            description = "The assembler's view of the document, or ACCEPTED (AcceptedView) before it has it",
            content = @Content(schema = @Schema(implementation = AcceptedView.class)))
    @APIResponse(responseCode = "401", description = "Authentication on and no valid API key or bearer token")
    @APIResponse(
            responseCode = "404",
            description = "Unknown document: neither accepted by ingest nor known to the assembler, removed after "
                    + "the assembler's retention, or another tenant's",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "The assembler is unreachable, starting or rebalancing, or Kafka too slow to tell whether "
                    + "the document was accepted: retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(schema = @Schema(implementation = Problem.class)))
    public Response get(
            @Parameter(description = "The document id") @PathParam("id") String documentId, @Context UriInfo uri) {
        if (!DocumentIds.isReadableId(documentId) || ingest.accepted().deleted(documentId)) {
            return notFound(documentId);
        }
        String tenant = Tenants.of(caller);
        HttpResponse<InputStream> answer;
        try {
            answer = assembler.document(documentId, tenant, uri.getQueryParameters());
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format("documentId=%s: the assembler did not answer: %s", documentId, e));
            return unavailable(documentId, "the assembler did not answer; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(documentId, "interrupted while asking the assembler");
        }
        if (answer.statusCode() != Response.Status.NOT_FOUND.getStatusCode()) {
            return forwarded(answer, answer.body());
        }
        try (InputStream body = answer.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "documentId=" + documentId + ": the 404's body broke off", e);
        }
        try {
            Optional<AcceptedDocuments.Accepted> accepted = acceptedRecently(documentId, tenant);
            return accepted.isPresent()
                    ? Response.ok(AcceptedView.of(accepted.get()))
                            .type(MediaType.APPLICATION_JSON)
                            .build()
                    : notFound(documentId);
        } catch (TimeoutException e) {
            return unavailable(documentId, "cannot read the accepted documents from Kafka in time; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(documentId, "interrupted while reading the accepted documents");
        }
    }

    /**
     * The tenant's document, if ingest accepted it within the accepted-status window: one this instance accepted is in
     * the table at once, one another instance accepted once the table has read up to now. Another tenant's document is
     * not there for this one: the assembler's 404 stands, as for an unknown id.
     */
    private Optional<AcceptedDocuments.Accepted> acceptedRecently(String documentId, String tenant)
            throws TimeoutException, InterruptedException {
        AcceptedDocuments table = ingest.accepted();
        Optional<AcceptedDocuments.Accepted> found = table.find(documentId);
        if (found.isEmpty()) {
            found = table.lookup(documentId, ingest.config().resultsTimeout());
        }
        Instant windowStart = Instant.now().minus(ingest.config().acceptedStatusWindow());
        return found.filter(a -> a.tenant().equals(tenant) && a.submittedAt().isAfter(windowStart));
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Delete a document",
            description = "Publishes the document's deletion: the assembler removes its state and results and emits "
                    + "a DELETED status event; reads answer 404 from then on. The output topics keep what they hold "
                    + "until their retention.")
    @APIResponse(
            responseCode = "202",
            description = "The deletion is published",
            content = @Content(schema = @Schema(implementation = Deleted.class)))
    @APIResponse(responseCode = "401", description = "Authentication on and no valid API key or bearer token")
    @APIResponse(
            responseCode = "404",
            description = "Unknown document, deleted already, or another tenant's",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka or the assembler too slow to tell or take the deletion: retry after Retry-After "
                    + "seconds",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(schema = @Schema(implementation = Problem.class)))
    public Response delete(@Parameter(description = "The document id") @PathParam("id") String documentId) {
        if (!DocumentIds.isReadableId(documentId)) {
            return notFound(documentId);
        }
        String tenant = Tenants.of(caller);
        try {
            if (!owns(tenant, documentId)) {
                return notFound(documentId);
            }
            ingest.publisher().delete(documentId, tenant, io.opentelemetry.context.Context.current());
        } catch (TimeoutException e) {
            return unavailable(documentId, "cannot read the accepted documents from Kafka in time; retry later");
        } catch (IOException e) {
            return unavailable(documentId, "the assembler did not answer; retry later");
        } catch (KafkaUnavailable | DocumentClaim.Superseded e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format("documentId=%s deletion not published: %s", documentId, e.getMessage()));
            return unavailable(documentId, "Kafka did not take the deletion in time; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(documentId, "interrupted");
        }
        ingest.accepted().forget(documentId);
        LOG.log(System.Logger.Level.INFO, String.format("documentId=%s deleted by tenant %s", documentId, tenant));
        return Response.accepted(new Deleted(documentId, "DELETED"))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    /** The answer to a deletion. */
    @Schema(description = "A deletion published")
    public record Deleted(String documentId, @Schema(description = "DELETED") String state) {}

    /**
     * Whether the document is the tenant's: ingest's table knows every document it accepted (up to its capacity and
     * the topic's retention); one it no longer holds is the tenant's if the assembler still shows it to the tenant.
     *
     * @throws IOException when the assembler cannot say (unreachable, or not a 200 or a 404)
     */
    private boolean owns(String tenant, String documentId) throws TimeoutException, InterruptedException, IOException {
        Optional<AcceptedDocuments.Accepted> accepted =
                ingest.accepted().lookup(documentId, ingest.config().resultsTimeout());
        if (accepted.isPresent()) {
            return accepted.get().tenant().equals(tenant);
        }
        if (ingest.accepted().deleted(documentId)) {
            return false;
        }
        HttpResponse<InputStream> answer = assembler.document(documentId, tenant, Map.of("results", List.of("false")));
        try (InputStream body = answer.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        return switch (answer.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw new IOException("the assembler answered " + answer.statusCode());
        };
    }

    private static Response notFound(String documentId) {
        return problem(Response.Status.NOT_FOUND, documentId, UNKNOWN);
    }

    private static Response forwarded(HttpResponse<InputStream> answer, Object body) {
        Response.ResponseBuilder response = Response.status(answer.statusCode()).entity(body);
        for (String name : FORWARDED_HEADERS) {
            answer.headers().firstValue(name).ifPresent(v -> response.header(name, v));
        }
        return response.build();
    }

    private Response unavailable(String documentId, String error) {
        return Response.fromResponse(problem(Response.Status.SERVICE_UNAVAILABLE, documentId, error))
                .header("Retry-After", ingest.config().retryAfterSeconds())
                .build();
    }

    private static Response problem(Response.Status status, String documentId, String error) {
        return Response.status(status)
                .entity(new Problem(documentId, error))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }
}
