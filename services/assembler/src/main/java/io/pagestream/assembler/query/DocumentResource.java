package io.pagestream.assembler.query;

import io.pagestream.assembler.query.DocumentQueries.Elsewhere;
import io.pagestream.assembler.query.DocumentQueries.Found;
import io.pagestream.assembler.query.DocumentQueries.NotFound;
import io.pagestream.assembler.query.DocumentQueries.Unavailable;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Document status from the assembler's state stores, answered by whichever instance owns the document. */
@Path("/v1/documents")
@Tag(name = "documents", description = "Status and results of submitted documents")
public class DocumentResource {
    /** The {@code application.server} of the instance that read the document from its stores. */
    public static final String SERVED_BY_HEADER = "X-Pagestream-Served-By";
    /**
     * The caller's tenant, set by ingest (the public API; only it reaches this one): another tenant's document is
     * answered as an unknown one.
     */
    public static final String TENANT_HEADER = "X-Pagestream-Tenant";

    private static final System.Logger LOG = System.getLogger(DocumentResource.class.getName());
    private static final String RETRY_AFTER_SECONDS = "1";

    /** Body of a 404 or 503. */
    @Schema(description = "Why a document could not be shown")
    public record Problem(String documentId, String error) {}

    private final DocumentQueries queries;
    private final InstanceForwarder forwarder;

    DocumentResource(DocumentQueries queries, InstanceForwarder forwarder) {
        this.queries = queries;
        this.forwarder = forwarder;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Status, progress and results of a document",
            description = "Read from the assembler's state stores by the instance that owns the document (a request "
                    + "to another instance is forwarded to it). Results appear once the document is closed: "
                    + "COMPLETED, or INCOMPLETE after the timeout with partial results.")
    @APIResponse(
            responseCode = "200",
            description = "The document",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DocumentView.class)))
    @APIResponse(
            responseCode = "404",
            description = "Unknown document: never seen by the assembler, removed after the retention, or another "
                    + "tenant's",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "The assembler is starting or rebalancing; retry after the " + "Retry-After seconds",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    public Response get(
            @Parameter(description = "The document id") @PathParam("id") String documentId,
            @Parameter(description = "Include the OCR and answers of a closed document")
                    @QueryParam("results")
                    @DefaultValue("true")
                    boolean withResults,
            @Parameter(description = "Only this tenant's document is shown (ingest sets it)")
                    @HeaderParam(TENANT_HEADER)
                    String tenant,
            @Parameter(hidden = true) @HeaderParam(InstanceForwarder.FORWARDED_HEADER) String forwardedBy) {
        return switch (queries.find(documentId, tenant, withResults)) {
            case Found found ->
                Response.ok(found.view())
                        .header(SERVED_BY_HEADER, endpoint(queries.self()))
                        .build();
            case NotFound notFound ->
                problem(
                        Response.Status.NOT_FOUND,
                        documentId,
                        "unknown document: never seen by the assembler, or removed after the retention");
            case Elsewhere elsewhere
            when forwardedBy != null ->
                unavailable(
                        documentId,
                        "forwarded here by " + forwardedBy + " but owned by " + endpoint(elsewhere.owner())
                                + ": ownership is moving");
            case Elsewhere elsewhere -> forward(elsewhere.owner(), documentId, tenant, withResults);
            case Unavailable unavailable -> unavailable(documentId, unavailable.reason());
        };
    }

    private Response forward(HostInfo owner, String documentId, String tenant, boolean withResults) {
        try {
            HttpResponse<String> answer = forwarder.document(owner, queries.self(), documentId, tenant, withResults);
            Response.ResponseBuilder response =
                    Response.status(answer.statusCode()).entity(answer.body()).type(MediaType.APPLICATION_JSON);
            answer.headers().firstValue(SERVED_BY_HEADER).ifPresent(v -> response.header(SERVED_BY_HEADER, v));
            answer.headers().firstValue("Retry-After").ifPresent(v -> response.header("Retry-After", v));
            return response.build();
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> String.format("forwarding the query of %s to %s failed", documentId, endpoint(owner)),
                    e);
            return unavailable(documentId, "the owning instance " + endpoint(owner) + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(documentId, "interrupted while asking " + endpoint(owner));
        }
    }

    private static Response unavailable(String documentId, String reason) {
        return Response.fromResponse(problem(Response.Status.SERVICE_UNAVAILABLE, documentId, reason))
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .build();
    }

    private static Response problem(Response.Status status, String documentId, String error) {
        return Response.status(status)
                .entity(new Problem(documentId, error))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    private static String endpoint(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
