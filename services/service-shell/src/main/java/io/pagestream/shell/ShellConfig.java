package io.pagestream.shell;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where every service finds Kafka and the schema registry, and how it talks to them: {@code pagestream.kafka.*} and
 * {@code pagestream.registry.*} (table in docs/configuration.md). Code uses {@link ClientSettings}, made from this.
 */
@ConfigMapping(prefix = "pagestream")
public interface ShellConfig {

    String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    Kafka kafka();

    Registry registry();

    interface Kafka {
        /** Comma-separated {@code host:port} of the brokers. */
        @WithDefault(DEFAULT_BOOTSTRAP_SERVERS)
        String bootstrapServers();

        /**
         * A Java properties file of client settings by Kafka's own names (security.protocol, sasl.*, ssl.*) and the
         * registry client's Confluent names (basic.auth.user.info, schema.registry.ssl.*): what Kafka's tools take
         * as {@code --command-config}, so one mounted Secret configures a secured deployment.
         */
        Optional<Path> configFile();

        /** Client settings by Kafka's or Confluent's names, e.g. {@code properties."security.protocol"}; win over the file. */
        Map<String, String> properties();
    }

    interface Registry {
        /** Comma-separated base URLs of a Confluent-API registry, tried in order (Apicurio: {@code .../apis/ccompat/v7}). */
        @WithDefault("http://localhost:8081/apis/ccompat/v7")
        String url();

        /** Register the schemas this service writes on first use; off in production, where they are registered beforehand. */
        @WithDefault("true")
        boolean autoRegister();
    }
}
