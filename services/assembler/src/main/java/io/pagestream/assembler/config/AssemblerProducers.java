package io.pagestream.assembler.config;

import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.assembler.topology.AssemblerTopology;
import io.pagestream.registry.SchemaRegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;

/** The registry client and the topology, from configuration; Quarkus builds and runs Kafka Streams around them. */
@ApplicationScoped
public class AssemblerProducers {

    @Produces
    @Singleton
    SchemaRegistryClient registryClient(RegistryConfigMapping registry) {
        return new SchemaRegistryClient(registry.registryConfig());
    }

    void closeRegistryClient(@Disposes SchemaRegistryClient client) {
        client.close();
    }

    @Produces
    @Singleton
    Topology topology(
            AssemblerConfig assembler,
            RegistryConfigMapping registry,
            SchemaRegistryClient client,
            OpenTelemetry openTelemetry) {
        return AssemblerTopology.build(assembler.settings(), client, registry.autoRegister(), openTelemetry);
    }
}
