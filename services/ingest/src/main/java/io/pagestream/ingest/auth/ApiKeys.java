package io.pagestream.ingest.auth;

import io.pagestream.ingest.IngestConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configured API keys and the tenant of each: {@code pagestream.ingest.auth.api-keys} belong to
 * {@link Tenants#DEFAULT}, {@code pagestream.ingest.auth.tenants."<tenant>".api-keys} to that tenant.
 */
public record ApiKeys(Map<String, List<String>> byTenant) {

    /** Blank keys (an unset environment variable in a list) are left out. */
    public ApiKeys {
        Map<String, List<String>> given = new TreeMap<>();
        byTenant.forEach((tenant, keys) ->
                given.put(tenant, keys.stream().filter(k -> !k.isBlank()).toList()));
        byTenant = Collections.unmodifiableMap(given);
    }

    public static ApiKeys of(IngestConfig.Auth auth) {
        Map<String, List<String>> keys = new TreeMap<>();
        auth.apiKeys().ifPresent(plain -> keys.put(Tenants.DEFAULT, new ArrayList<>(plain)));
        auth.tenants().forEach((tenant, config) -> config.apiKeys()
                .ifPresent(list ->
                        keys.computeIfAbsent(tenant, t -> new ArrayList<>()).addAll(list)));
        return new ApiKeys(keys);
    }

    /**
     * The tenant whose key was presented. Every configured key is compared, each in constant time, so the time taken
     * tells nothing about which key came close.
     */
    public Optional<String> tenantOf(String presented) {
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, List<String>> tenant : byTenant.entrySet()) {
            for (String key : tenant.getValue()) {
                if (MessageDigest.isEqual(bytes, key.getBytes(StandardCharsets.UTF_8))) {
                    found = tenant.getKey();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return byTenant.values().stream().allMatch(List::isEmpty);
    }
}
