package io.pagestream.cli;

import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where {@code get} and {@code wait} find the results API ({@code GET /v1/documents/{id}}, served by ingest from the
 * assembler, which {@code up} prints as "Documents REST") and the credentials they send, in the style of
 * {@code submit}'s options.
 */
final class ResultsApiOptions {
    @Option(
            names = "--url",
            defaultValue = "${env:PAGESTREAM_RESULTS_URL:-http://127.0.0.1:8080}",
            description =
                    "Results API base URL: ingest, the public API (env PAGESTREAM_RESULTS_URL). Default: ${DEFAULT-VALUE}.")
    String url;

    @Mixin
    Credentials credentials;

    DocumentQuery query() {
        return new DocumentQuery(credentials);
    }

    URI documentUrl(String documentId) {
        return DocumentQuery.documentUrl(url, documentId);
    }
}
