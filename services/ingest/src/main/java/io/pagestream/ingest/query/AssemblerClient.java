package io.pagestream.ingest.query;

import io.pagestream.ingest.IngestConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Asks the assembler ({@code pagestream.ingest.results-url}) for a document, as the client asked ingest. */
@Singleton
public class AssemblerClient {
    /** Names the caller's tenant to the assembler (whose API only ingest reaches). */
    public static final String TENANT_HEADER = "X-Pagestream-Tenant";

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    @Inject
    public AssemblerClient(IngestConfig config) {
        String url = config.resultsUrl().toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.timeout = config.resultsTimeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The assembler's answer to {@code GET /v1/documents/{documentId}} with the client's query parameters, its body
     * unread.
     *
     * @param tenant the caller's tenant: the assembler shows only this tenant's documents
     * @param query the client's query parameters, decoded (each is encoded again here, so no query the client sent
     *              can make a malformed URI)
     * @throws IOException when the assembler cannot be reached or does not answer within the timeout
     */
    public HttpResponse<InputStream> document(String documentId, String tenant, Map<String, List<String>> query)
            throws IOException, InterruptedException {
        StringBuilder path = new StringBuilder("v1/documents/").append(encode(documentId));
        String separator = "?";
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            for (String value : parameter.getValue()) {
                path.append(separator)
                        .append(encode(parameter.getKey()))
                        .append('=')
                        .append(encode(value));
                separator = "&";
            }
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path.toString()))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header(TENANT_HEADER, tenant)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
