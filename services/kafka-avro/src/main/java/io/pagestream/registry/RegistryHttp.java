package io.pagestream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSON over HTTP to the registry: fail-over between URLs, basic auth, TLS, and retries with exponential backoff (or
 * the registry's {@code Retry-After}) for the failures that may pass (no connection, 408, 429, 5xx). Other answers are final and become a
 * {@link RegistryException} carrying the subject, the status and the registry's error code.
 */
final class RegistryHttp implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RegistryHttp.class.getName());
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final HttpClient http;
    private final String authorization;
    private volatile int preferredUrl;

    RegistryHttp(RegistryConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(config.requestTimeout());
        config.tls().ifPresent(tls -> builder.sslContext(sslContext(tls)));
        this.http = builder.build();
        this.authorization = config.userInfo()
                .map(u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
    }

    JsonNode get(String operation, String subject, String path) {
        return exchange(operation, subject, "GET", path, null);
    }

    JsonNode post(String operation, String subject, String path, Object body) {
        return exchange(operation, subject, "POST", path, body);
    }

    JsonNode put(String operation, String subject, String path, Object body) {
        return exchange(operation, subject, "PUT", path, body);
    }

    private JsonNode exchange(String operation, String subject, String method, String path, Object body) {
        String payload = body == null ? null : write(body);
        long backoff = config.initialBackoff().toMillis();
        long wait = 0;
        RegistryException last = null;
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            if (attempt > 0) {
                sleep(operation, subject, wait);
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            }
            int urlIndex = preferredUrl;
            URI uri = URI.create(config.urls().get(urlIndex) + path);
            HttpResponse<String> response;
            try {
                response = http.send(
                        request(method, uri, payload), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = new RegistryException(operation, subject, 0, 0, uri + ": " + e, e);
                failOver(urlIndex);
                wait = backoff;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(operation, subject, 0, 0, "interrupted", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(operation, subject, status, response.body());
            }
            last = failure(operation, subject, status, response.body());
            if (!retryable(status)) {
                throw last;
            }
            // A node that answers 5xx is as unusable as one that does not answer: try the next one.
            failOver(urlIndex);
            wait = retryAfterMillis(response).orElse(backoff);
            LOG.log(System.Logger.Level.DEBUG, "registry attempt {0} failed: {1}", attempt + 1, last.getMessage());
        }
        throw last;
    }

    private void failOver(int failedIndex) {
        preferredUrl = (failedIndex + 1) % config.urls().size();
    }

    /** A registry that says when to come back is believed, within the configured maximum backoff. */
    private Optional<Long> retryAfterMillis(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Math.min(
                        Long.parseLong(value.trim()) * 1000, config.maxBackoff().toMillis()));
            } catch (NumberFormatException httpDate) {
                return Optional.empty();
            }
        });
    }

    private static JsonNode parse(String operation, String subject, int status, String body) {
        if (body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(operation, subject, status, 0, "the answer is not JSON: " + body, e);
        }
    }

    private HttpRequest request(String method, URI uri, String payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT)
                .method(
                        method,
                        payload == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        if (payload != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static RegistryException failure(String operation, String subject, int status, String body) {
        int errorCode = 0;
        String message = body;
        try {
            JsonNode error = JSON.readTree(body);
            errorCode = error.path("error_code").asInt(0);
            message = error.path("message").asText(body);
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body as the detail
        }
        return new RegistryException(operation, subject, status, errorCode, message, null);
    }

    private static void sleep(String operation, String subject, long millis) {
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(operation, subject, 0, 0, "interrupted while backing off", e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode registry request", e);
        }
    }

    private static SSLContext sslContext(RegistryConfig.Tls tls) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(tls.truststore(), tls.truststoreType(), tls.truststorePassword()));
            KeyManagerFactory keys = null;
            if (tls.keystore().isPresent()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(
                        load(tls.keystore().get(), tls.keystoreType(), tls.keystorePassword()),
                        tls.keyPassword().toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS for the schema registry: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(java.nio.file.Path file, String type, String password)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    @Override
    public void close() {
        http.close();
    }
}
