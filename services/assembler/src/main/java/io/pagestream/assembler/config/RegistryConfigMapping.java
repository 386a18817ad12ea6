package io.pagestream.assembler.config;

import io.pagestream.registry.RegistryConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pagestream.registry.*}: the Confluent-API schema registry, handed to our client under Confluent's own keys.
 */
@ConfigMapping(prefix = "pagestream.registry")
public interface RegistryConfigMapping {

    /** Comma-separated base URLs of the registry (Apicurio: {@code .../apis/ccompat/v7}). */
    String url();

    /** Register the output schemas on first use; in production register them from CI and set this to false. */
    @WithDefault("true")
    boolean autoRegister();

    /** {@code user:password} for HTTP basic authentication. */
    @WithName("basic-auth-user-info")
    Optional<String> basicAuthUserInfo();

    /** Trust store for an HTTPS registry. */
    @WithName("ssl.truststore.location")
    Optional<String> truststoreLocation();

    @WithName("ssl.truststore.password")
    Optional<String> truststorePassword();

    @WithName("ssl.truststore.type")
    @WithDefault("PKCS12")
    String truststoreType();

    default RegistryConfig registryConfig() {
        Map<String, Object> confluent = new HashMap<>();
        confluent.put(RegistryConfig.URL, url());
        basicAuthUserInfo().ifPresent(v -> confluent.put(RegistryConfig.BASIC_AUTH_USER_INFO, v));
        truststoreLocation().ifPresent(v -> {
            confluent.put(RegistryConfig.TRUSTSTORE_LOCATION, v);
            confluent.put(RegistryConfig.TRUSTSTORE_TYPE, truststoreType());
            truststorePassword().ifPresent(p -> confluent.put(RegistryConfig.TRUSTSTORE_PASSWORD, p));
        });
        return RegistryConfig.fromMap(confluent);
    }
}
