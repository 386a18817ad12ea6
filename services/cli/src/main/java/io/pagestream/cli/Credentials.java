package io.pagestream.cli;

import java.net.http.HttpRequest;
import picocli.CommandLine.Option;

/**
 * The credentials a command sends to a pagestream REST API (ingest's or the results API), as options every such
 * command shares. Either may be null or blank: the embedded stack runs without authentication.
 */
final class Credentials {
    @Option(
            names = "--api-key",
            defaultValue = "${env:PAGESTREAM_API_KEY}",
            description = "API key sent as X-API-Key when the API has authentication on (env PAGESTREAM_API_KEY).")
    String apiKey;

    @Option(
            names = "--token",
            defaultValue = "${env:PAGESTREAM_TOKEN}",
            description = "Bearer token (env PAGESTREAM_TOKEN).")
    String token;

    /** None: the embedded stack. */
    static Credentials none() {
        return new Credentials();
    }

    /** An API key alone: the secured embedded stack ({@code demo --secure}). */
    static Credentials apiKey(String key) {
        Credentials credentials = new Credentials();
        credentials.apiKey = key;
        return credentials;
    }

    HttpRequest.Builder applyTo(HttpRequest.Builder request) {
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("X-API-Key", apiKey);
        }
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }
}
