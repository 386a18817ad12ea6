package io.pagestream.shell;

import io.pagestream.registry.RegistryConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a service reaches Kafka and the schema registry, merged once from {@link ShellConfig}.
 *
 * @param kafka        every Kafka client setting, by Kafka's names: {@code bootstrap.servers} and the security settings
 *                     (the registry's keys left out); each service adds its own client's settings on top
 * @param registry     the registry client's configuration: the URLs and the Confluent-named settings of the same sources
 * @param autoRegister whether the serializers register a schema on first use
 */
public record ClientSettings(Map<String, Object> kafka, RegistryConfig registry, boolean autoRegister) {

    public ClientSettings {
        kafka = Map.copyOf(kafka);
    }

    public static ClientSettings of(ShellConfig config) {
        ShellConfig.Kafka k = config.kafka();
        Map<String, String> all = ClientProperties.merge(k.bootstrapServers(), k.configFile(), k.properties());
        Map<String, Object> registry = new HashMap<>(ClientProperties.registryPart(all));
        registry.put(RegistryConfig.URL, config.registry().url());
        return new ClientSettings(
                Map.copyOf(ClientProperties.kafkaPart(all)),
                RegistryConfig.fromMap(registry),
                config.registry().autoRegister());
    }

    /** Names the settings, never their values: passwords and JAAS configurations stay out of logs. */
    @Override
    public String toString() {
        return "ClientSettings[kafka=" + new TreeSet<>(kafka.keySet()) + ", registry=" + registry.urls()
                + ", autoRegister=" + autoRegister + "]";
    }
}
