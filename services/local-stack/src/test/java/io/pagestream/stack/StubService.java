package io.pagestream.stack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a packaged Quarkus service in {@link ServiceJvmTest}: serves the readiness check on
 * {@code quarkus.management.port}, and on {@code quarkus.http.port}'s {@code /settings} what it was given (a system property and an environment
 * variable), so the test sees them arrive.
 */
public final class StubService {
    private StubService() {}

    public static void main(String[] args) throws IOException {
        HttpServer management = listen("quarkus.management.port");
        management.createContext(ServiceJvm.READY_PATH, exchange -> answer(exchange, "UP"));
        management.start();
        HttpServer server = listen("quarkus.http.port");
        server.createContext(
                "/settings",
                exchange -> answer(exchange, System.getProperty("stub.greeting") + " " + System.getenv("STUB_NAME")));
        server.start();
        System.out.println("stub service started");
    }

    private static HttpServer listen(String portProperty) throws IOException {
        return HttpServer.create(
                new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), Integer.parseInt(System.getProperty(portProperty))),
                0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
