package io.pagestream.ingest.api;

import com.sun.net.httpserver.HttpServer;
import io.pagestream.ingest.query.AssemblerClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the assembler's {@code GET /v1/documents/{id}}: a canned answer per document id (shown, as the
 * assembler does, only to the tenant it is given for, when it is), the assembler's 404 for any other, and every
 * request it got (path and query, and the tenant it named) for the test to check. Started before ingest, which finds
 * it at {@code pagestream.ingest.results-url}; it can be stopped and started again on the same port.
 */
public final class AssemblerStub implements QuarkusTestResourceLifecycleManager {
    private static final String PREFIX = "/v1/documents/";

    /** An answer of the stub: status, JSON body and headers. */
    public record Canned(int status, String body, Map<String, String> headers) {}

    private final Map<String, Canned> answers = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> tenants = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int port;

    @Override
    public Map<String, String> start() {
        listen(0);
        port = server.getAddress().getPort();
        return Map.of("pagestream.ingest.results-url", "http://127.0.0.1:" + port);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(AssemblerStub.class));
    }

    @Override
    public void stop() {
        down();
    }

    public void answer(String documentId, Canned canned) {
        answers.put(documentId, canned);
    }

    /** Answers {@code canned} to {@code tenant} only; another tenant gets the 404 of an unknown id. */
    public void answer(String tenant, String documentId, Canned canned) {
        owners.put(documentId, tenant);
        answers.put(documentId, canned);
    }

    /** The tenant each request named ({@code X-Pagestream-Tenant}), in order. */
    public List<String> tenants() {
        return List.copyOf(tenants);
    }

    /** Every request received, as {@code path} or {@code path?query} (the query as sent). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Stops listening: connections to its port are refused until {@link #up()}. */
    public void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public void up() {
        listen(port);
    }

    private void listen(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PREFIX, exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(query == null ? path : path + "?" + query);
            String id = path.substring(PREFIX.length());
            String tenant = exchange.getRequestHeaders().getFirst(AssemblerClient.TENANT_HEADER);
            tenants.add(String.valueOf(tenant));
            String owner = owners.get(id);
            Canned canned = (owner == null || owner.equals(tenant) ? answers : Map.<String, Canned>of())
                    .getOrDefault(
                            id,
                            new Canned(
                                    404,
                                    "{\"documentId\":\"" + id + "\",\"error\":\"unknown document: never seen by the"
                                            + " assembler, or removed after the retention\"}",
                                    Map.of()));
            byte[] body = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            canned.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(canned.status(), body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
