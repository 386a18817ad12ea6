package io.pagestream.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's transport (auth, retries, fail-over, TLS, caching) against stub registries on loopback sockets. */
class RegistryHttpTest {
    static final Schema SCHEMA = SchemaBuilder.record("R")
            .namespace("t")
            .fields()
            .requiredString("a")
            .endRecord();
    static final String SUBJECT = "readings-value";
    static final String STORE_PASSWORD = "changeit";

    private final List<HttpServer> servers = new ArrayList<>();

    record Request(int number, long receivedNanos, String method, String path, String authorization, String body) {}

    record Reply(int status, String body, Map<String, String> headers) {
        Reply(int status, String body) {
            this(status, body, Map.of());
        }
    }

    record Stub(HttpServer server, AtomicInteger requestCount, List<Request> requests, String scheme) {
        String url() {
            return scheme + "://127.0.0.1:" + server.getAddress().getPort();
        }
    }

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void sendsBasicAuthAndDoesNotRetryA401() throws IOException {
        Stub stub = stub(request -> new Reply(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
        RegistryConfig config = RegistryConfig.of(stub.url())
                .withUserInfo("alice:s3cret")
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            RegistryException refused = assertThrows(RegistryException.class, () -> client.register(SUBJECT, SCHEMA));
            assertEquals(401, refused.status());
            assertEquals(SUBJECT, refused.subject());
            assertTrue(
                    refused.getMessage().contains(SUBJECT)
                            && refused.getMessage().contains("401"),
                    refused.getMessage());
        }
        assertEquals(1, stub.requestCount().get(), "a 401 is final");
        Request request = stub.requests().get(0);
        assertEquals("Basic YWxpY2U6czNjcmV0", request.authorization());
        assertEquals("POST", request.method());
        assertEquals("/subjects/" + SUBJECT + "/versions", request.path());
        String sent = RegistryHttp.JSON.readTree(request.body()).path("schema").asText();
        assertEquals(SCHEMA, new Schema.Parser().parse(sent));
    }

    @Test
    void retriesServerErrorsAfterABackoff() throws IOException {
        Stub stub = stub(request -> request.number() <= 2 ? new Reply(503, "") : new Reply(200, "{\"id\":7}"));
        RegistryConfig config =
                RegistryConfig.of(stub.url()).withRetries(5, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            assertEquals(7, client.register(SUBJECT, SCHEMA));
        }
        assertEquals(3, stub.requestCount().get());
        // The jittered wait is at least half the backoff, which starts at 10 ms and doubles.
        List<Request> requests = stub.requests();
        assertTrue(gapMillis(requests.get(0), requests.get(1)) >= 5, "first retry waits >= 5 ms");
        assertTrue(gapMillis(requests.get(1), requests.get(2)) >= 10, "second retry waits >= 10 ms");
    }

    @Test
    void givesUpAfterTheConfiguredRetries() throws IOException {
        Stub stub = stub(request -> new Reply(503, "{\"error_code\":50301,\"message\":\"Overloaded\"}"));
        RegistryConfig config =
                RegistryConfig.of(stub.url()).withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            RegistryException failed = assertThrows(RegistryException.class, () -> client.register(SUBJECT, SCHEMA));
            assertEquals(503, failed.status());
            assertEquals(50301, failed.errorCode());
        }
        assertEquals(3, stub.requestCount().get(), "the first attempt and two retries");
    }

    @Test
    void waitsAsLongAsRetryAfterSays() throws IOException {
        Stub stub = stub(request -> request.number() == 1
                ? new Reply(429, "{\"error_code\":42901,\"message\":\"Slow down\"}", Map.of("Retry-After", "1"))
                : new Reply(200, "{\"id\":9}"));
        RegistryConfig config =
                RegistryConfig.of(stub.url()).withRetries(3, Duration.ofMillis(10), Duration.ofSeconds(5));

        try (var client = new SchemaRegistryClient(config)) {
            assertEquals(9, client.register(SUBJECT, SCHEMA));
        }
        assertTrue(
                gapMillis(stub.requests().get(0), stub.requests().get(1)) >= 500,
                "the retry waited for (at least half of, with jitter) the one second asked for");
    }

    @Test
    void failsOverWhenARegistryAnswersServerErrors() throws IOException {
        Stub broken = stub(request -> new Reply(503, ""));
        Stub healthy = stub(request -> new Reply(200, "{\"id\":12}"));
        RegistryConfig config = RegistryConfig.fromMap(Map.of(RegistryConfig.URL, broken.url() + "," + healthy.url()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            assertEquals(12, client.register(SUBJECT, SCHEMA));
        }
        assertEquals(1, broken.requestCount().get());
        assertEquals(1, healthy.requestCount().get());
    }

    @Test
    void anAnswerThatIsNotJsonIsNotMistakenForAnOutage() throws IOException {
        Stub stub = stub(request -> new Reply(200, "<html>login page</html>"));
        RegistryConfig config =
                RegistryConfig.of(stub.url()).withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            RegistryException wrong = assertThrows(RegistryException.class, () -> client.register(SUBJECT, SCHEMA));
            assertEquals(200, wrong.status());
            assertTrue(wrong.getMessage().contains("not JSON"), wrong.getMessage());
        }
        assertEquals(1, stub.requestCount().get());
    }

    @Test
    void doesNotRetryAClientError() throws IOException {
        Stub stub = stub(request -> new Reply(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"));
        RegistryConfig config =
                RegistryConfig.of(stub.url()).withRetries(5, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            RegistryException refused = assertThrows(RegistryException.class, () -> client.register(SUBJECT, SCHEMA));
            assertEquals(422, refused.status());
            assertEquals(42201, refused.errorCode());
            assertTrue(refused.getMessage().contains("Invalid schema"), refused.getMessage());
        }
        assertEquals(1, stub.requestCount().get());
    }

    @Test
    void failsOverToTheNextUrl() throws IOException {
        Stub stub = stub(request -> new Reply(200, "{\"id\":11}"));
        RegistryConfig config = RegistryConfig.fromMap(
                        Map.of(RegistryConfig.URL, "http://127.0.0.1:" + unusedPort() + "," + stub.url()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            assertEquals(11, client.register(SUBJECT, SCHEMA));
        }
        assertEquals(1, stub.requestCount().get());
    }

    @Test
    void reportsAnUnreachableRegistryAsStatusZero() throws IOException {
        RegistryConfig config = RegistryConfig.of("http://127.0.0.1:" + unusedPort())
                .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(50));

        try (var client = new SchemaRegistryClient(config)) {
            RegistryException failed = assertThrows(RegistryException.class, () -> client.register(SUBJECT, SCHEMA));
            assertEquals(0, failed.status());
            assertEquals(SUBJECT, failed.subject());
            assertTrue(
                    failed.getMessage().contains("could not reach the registry")
                            && failed.getMessage().contains(SUBJECT),
                    failed.getMessage());
            assertInstanceOf(ConnectException.class, failed.getCause());
        }
    }

    @Test
    void trustsTheRegistryOnlyThroughTheConfiguredTruststore(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("registry.p12");
        Path certificate = dir.resolve("registry.crt");
        Path truststore = dir.resolve("truststore.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                STORE_PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                "registry",
                "-keystore",
                keystore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                certificate.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "registry",
                "-file",
                certificate.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                truststore.toString(),
                "-storepass",
                STORE_PASSWORD);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keystore)));
        Stub stub = serve(server, "https", request -> new Reply(200, "{\"id\":3}"));

        RegistryConfig trusting = RegistryConfig.fromMap(Map.of(
                        RegistryConfig.URL,
                        stub.url(),
                        RegistryConfig.TRUSTSTORE_LOCATION,
                        truststore.toString(),
                        RegistryConfig.TRUSTSTORE_PASSWORD,
                        STORE_PASSWORD,
                        RegistryConfig.TRUSTSTORE_TYPE,
                        "PKCS12"))
                .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(50));
        try (var client = new SchemaRegistryClient(trusting)) {
            assertEquals(3, client.register(SUBJECT, SCHEMA));
        }

        RegistryConfig untrusting =
                RegistryConfig.of(stub.url()).withRetries(0, Duration.ofMillis(10), Duration.ofMillis(50));
        try (var client = new SchemaRegistryClient(untrusting)) {
            RegistryException refused = assertThrows(RegistryException.class, () -> client.register(SUBJECT, SCHEMA));
            assertEquals(0, refused.status(), refused.getMessage());
            assertInstanceOf(SSLHandshakeException.class, refused.getCause(), refused.getMessage());
        }
        assertEquals(1, stub.requestCount().get(), "the untrusted handshake never gets as far as a request");
    }

    @Test
    void fetchesASchemaByIdOnce() throws IOException {
        Stub stub = stub(request -> request.path().equals("/schemas/ids/5")
                ? new Reply(200, "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}")
                : new Reply(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));

        try (var client = new SchemaRegistryClient(RegistryConfig.of(stub.url()))) {
            assertEquals(Schema.create(Schema.Type.STRING), client.schemaById(5));
            assertEquals(Schema.create(Schema.Type.STRING), client.schemaById(5));
        }
        assertEquals(1, stub.requestCount().get(), "the second call is answered from the cache");
        assertEquals("GET", stub.requests().get(0).method());
    }

    private Stub stub(Function<Request, Reply> answer) throws IOException {
        return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http", answer);
    }

    /** Starts the server answering every request with {@code answer}, recording each request first. */
    private Stub serve(HttpServer server, String scheme, Function<Request, Reply> answer) {
        AtomicInteger count = new AtomicInteger();
        List<Request> requests = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            try (exchange) {
                Request request = new Request(
                        count.incrementAndGet(),
                        System.nanoTime(),
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        new String(exchange.getRequestBody().readAllBytes(), UTF_8));
                requests.add(request);
                Reply reply = answer.apply(request);
                byte[] body = reply.body().getBytes(UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
                reply.headers().forEach(exchange.getResponseHeaders()::set);
                exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        servers.add(server);
        return new Stub(server, count, requests, scheme);
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), () -> "keytool " + String.join(" ", args) + ": " + output);
    }

    /** A loopback port with nobody listening: bound for a moment and released. */
    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long gapMillis(Request earlier, Request later) {
        return TimeUnit.NANOSECONDS.toMillis(later.receivedNanos() - earlier.receivedNanos());
    }
}
