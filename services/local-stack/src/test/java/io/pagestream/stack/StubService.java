package io.pagestream.stack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a packaged Quarkus service in {@link ServiceJvmTest}: serves the readiness check on
 * {@code quarkus.http.port}, and on {@code /settings} what it was given (a system property and an environment
 * variable), so the test sees them arrive.
 */
public final class StubService {
    private StubService() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), Integer.parseInt(System.getProperty("quarkus.http.port"))),
                0);
        server.createContext(ServiceJvm.READY_PATH, exchange -> answer(exchange, "UP"));
        server.createContext(
                "/settings",
                exchange -> answer(exchange, System.getProperty("stub.greeting") + " " + System.getenv("STUB_NAME")));
        server.start();
        System.out.println("stub service started");
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
