package io.pagestream.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Apicurio Registry (in-memory storage) as a child process, spoken to through its Confluent-compatible API. Its
 * default compatibility is NONE; Confluent's is BACKWARD, and so is ours, so it is set right after start-up.
 */
public final class ApicurioRegistry implements AutoCloseable {
    /** System property (or, upper-cased with underscores, environment variable) naming the unpacked distribution. */
    public static final String HOME_PROPERTY = "pagestream.apicurio.home";

    private static final String CONFLUENT_API = "/apis/ccompat/v7";

    private final int port;
    private final ChildProcess child;

    private ApicurioRegistry(int port, ChildProcess child) {
        this.port = port;
        this.child = child;
    }

    public static ApicurioRegistry start(Path workDir) throws IOException {
        return start(workDir, 0);
    }

    public static ApicurioRegistry start(Path workDir, int port) throws IOException {
        Path jar = home().resolve("quarkus-run.jar");
        int httpPort = FreePorts.orPick(port);
        ChildProcess child = ChildProcess.start(
                "registry",
                List.of(
                        ChildProcess.javaExecutable(),
                        "-Xmx192m",
                        "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + httpPort,
                        "-Dquarkus.management.host=127.0.0.1",
                        "-Dquarkus.management.port=" + FreePorts.pick(),
                        "-jar",
                        jar.toString()),
                workDir.resolve("registry-" + httpPort + ".log"));
        ApicurioRegistry registry = new ApicurioRegistry(httpPort, child);
        try {
            Readiness.await(
                    "Apicurio registry on port " + httpPort,
                    Duration.ofSeconds(120),
                    child::isAlive,
                    registry::answers,
                    child::logTail);
            registry.setGlobalCompatibility("BACKWARD");
        } catch (RuntimeException | IOException e) {
            child.close();
            throw e;
        }
        return registry;
    }

    /**
     * Where the distribution was unpacked: the system property or environment variable if set, else the place the
     * build unpacked it to ({@code .stack/apicurio-registry-VERSION} in the checkout), recorded in the jar.
     */
    public static Path home() {
        String configured = System.getProperty(
                HOME_PROPERTY, System.getenv(HOME_PROPERTY.toUpperCase().replace('.', '_')));
        if (configured == null) {
            configured = builtInHome();
        }
        if (configured == null || !Files.isRegularFile(Path.of(configured, "quarkus-run.jar"))) {
            throw new IllegalStateException("Apicurio Registry distribution not found at " + configured
                    + ". Build once with ./pagestream build, which unpacks it into .stack/, or set " + HOME_PROPERTY);
        }
        return Path.of(configured);
    }

    private static String builtInHome() {
        try (InputStream in = ApicurioRegistry.class.getResourceAsStream("stack.properties")) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("apicurio.home");
        } catch (IOException e) {
            return null;
        }
    }

    /** The base URL of the Confluent-compatible API, as a Confluent client expects it. */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API;
    }

    public int port() {
        return port;
    }

    public ChildProcess process() {
        return child;
    }

    private boolean answers() {
        try {
            return send(HttpRequest.newBuilder(URI.create(url() + "/subjects")).GET())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private void setGlobalCompatibility(String level) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/config"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}")));
        if (response.statusCode() != 200) {
            throw new IOException("setting registry compatibility to " + level + " failed: HTTP "
                    + response.statusCode() + " " + response.body());
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        child.close();
    }
}
