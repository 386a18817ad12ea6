package io.pagestream.ingest.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The framework's refusals of a request before any endpoint is chosen (a Content-Type that is not a form, or none
 * that parses) get ingest's answer: the reason code for their status and a JSON body ({@link MultipartFailures}).
 */
public class FrameworkRefusals {
    @ServerExceptionMapper
    public Response refused(WebApplicationException e) {
        return MultipartFailures.answer(e);
    }
}
