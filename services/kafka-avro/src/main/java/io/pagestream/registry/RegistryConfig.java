package io.pagestream.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach a Confluent-API schema registry. The keys are Confluent's own, so a client configuration written for
 * Confluent's serdes works unchanged; the retry and cache keys are ours.
 *
 * @param urls            one or more base URLs; when one does not answer or answers 5xx, the next one is tried
 * @param userInfo        {@code user:password} for HTTP basic auth, if any
 * @param tls             trust and key stores for HTTPS, if any
 * @param maxRetries      retries after the first attempt for connection failures, 408, 429 and 5xx answers
 * @param initialBackoff  wait before the first retry; doubled (with jitter) up to {@code maxBackoff}
 * @param requestTimeout  limit for one HTTP exchange
 * @param cacheCapacity   schemas kept per cache (by id, and by subject and schema)
 */
public record RegistryConfig(
        List<URI> urls,
        Optional<String> userInfo,
        Optional<Tls> tls,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration requestTimeout,
        int cacheCapacity) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String RETRIES = "schema.registry.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

    public RegistryConfig {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " is required");
        }
        urls = List.copyOf(urls);
        if (maxRetries < 0 || cacheCapacity < 1) {
            throw new IllegalArgumentException("retries must be >= 0 and cache capacity >= 1");
        }
    }

    /** Trust store (to verify the registry) and optional key store (client certificate), in JKS or PKCS12. */
    public record Tls(
            Path truststore,
            String truststorePassword,
            String truststoreType,
            Optional<Path> keystore,
            String keystorePassword,
            String keystoreType,
            String keyPassword) {}

    /** Defaults: 5 retries from 100 ms up to 5 s, 10 s per request, 1,000 cached schemas. */
    public static RegistryConfig of(String urls) {
        return fromMap(Map.of(URL, urls));
    }

    public RegistryConfig withRetries(int retries, Duration initial, Duration max) {
        return new RegistryConfig(urls, userInfo, tls, retries, initial, max, requestTimeout, cacheCapacity);
    }

    public RegistryConfig withUserInfo(String userAndPassword) {
        return new RegistryConfig(
                urls,
                Optional.of(userAndPassword),
                tls,
                maxRetries,
                initialBackoff,
                maxBackoff,
                requestTimeout,
                cacheCapacity);
    }

    public RegistryConfig withTls(Tls settings) {
        return new RegistryConfig(
                urls,
                userInfo,
                Optional.of(settings),
                maxRetries,
                initialBackoff,
                maxBackoff,
                requestTimeout,
                cacheCapacity);
    }

    /** Reads the configuration from Kafka client properties. */
    public static RegistryConfig fromMap(Map<String, ?> configs) {
        String urlList = string(configs, URL, null);
        if (urlList == null || urlList.isBlank()) {
            throw new IllegalArgumentException(URL + " is required (comma-separated registry base URLs)");
        }
        List<URI> urls = Arrays.stream(urlList.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s))
                .toList();
        String source = string(configs, BASIC_AUTH_SOURCE, "USER_INFO");
        if (!source.equals("USER_INFO") && !source.equals("URL")) {
            throw new IllegalArgumentException(
                    BASIC_AUTH_SOURCE + "=" + source + " is not supported (USER_INFO or URL)");
        }
        Optional<String> userInfo = source.equals("URL")
                ? Optional.ofNullable(urls.get(0).getRawUserInfo())
                : Optional.ofNullable(string(configs, BASIC_AUTH_USER_INFO, null))
                        .filter(s -> !s.isBlank());
        Optional<Tls> tls = Optional.ofNullable(string(configs, TRUSTSTORE_LOCATION, null))
                .map(trust -> new Tls(
                        Path.of(trust),
                        string(configs, TRUSTSTORE_PASSWORD, ""),
                        string(configs, TRUSTSTORE_TYPE, "PKCS12"),
                        Optional.ofNullable(string(configs, KEYSTORE_LOCATION, null))
                                .map(Path::of),
                        string(configs, KEYSTORE_PASSWORD, ""),
                        string(configs, KEYSTORE_TYPE, "PKCS12"),
                        string(configs, KEY_PASSWORD, string(configs, KEYSTORE_PASSWORD, ""))));
        return new RegistryConfig(
                urls,
                userInfo,
                tls,
                integer(configs, RETRIES, 5),
                Duration.ofMillis(integer(configs, RETRY_BACKOFF_MS, 100)),
                Duration.ofMillis(integer(configs, RETRY_BACKOFF_MAX_MS, 5000)),
                Duration.ofMillis(integer(configs, REQUEST_TIMEOUT_MS, 10_000)),
                integer(configs, CACHE_CAPACITY, 1000));
    }

    static String string(Map<String, ?> configs, String key, String fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : value.toString();
    }

    static int integer(Map<String, ?> configs, String key, int fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return value instanceof Number n
                    ? n.intValue()
                    : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not an integer", e);
        }
    }
}
