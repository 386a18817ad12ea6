package io.pagestream.stack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Stands in for a packaged Quarkus service in {@link ServiceJvmTest} and {@link ServiceSupervisorTest}: serves the readiness check on
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

    /**
     * A runnable jar in {@code dir} whose main class is {@code mainClass}, from this module's test classes, as a
     * packaged service is a runnable jar.
     */
    static Path jar(Path dir, String mainClass) throws Exception {
        Path classes = Path.of(StubService.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toAbsolutePath();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        manifest.getMainAttributes()
                .put(
                        Attributes.Name.CLASS_PATH,
                        dir.toAbsolutePath().relativize(classes).toString().replace('\\', '/') + "/");
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar: the classes come through its Class-Path
        }
        return jar;
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
