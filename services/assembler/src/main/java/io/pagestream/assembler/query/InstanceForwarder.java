package io.pagestream.assembler.query;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/** Asks the instance that owns a document for it, marking the request as forwarded so it is never forwarded twice. */
@ApplicationScoped
public class InstanceForwarder {
    public static final String FORWARDED_HEADER = "X-Pagestream-Forwarded-By";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** @param tenant the caller's tenant, passed on; null when the caller named none */
    public HttpResponse<String> document(
            HostInfo owner, HostInfo self, String documentId, String tenant, boolean withResults)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + "/v1/documents/"
                + URLEncoder.encode(documentId, StandardCharsets.UTF_8).replace("+", "%20")
                + "?results=" + withResults);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header(FORWARDED_HEADER, self.host() + ":" + self.port())
                .GET();
        if (tenant != null) {
            request.header(DocumentResource.TENANT_HEADER, tenant);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
