package io.pagestream.assembler.config;

import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.assembler.topology.AssemblerTopology;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.shell.ClientSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;

/**
 * The topology, from configuration and the shell's registry client; Quarkus builds and runs Kafka Streams around it
 * with the shell's Kafka settings (republished as {@code kafka-streams.*}).
 */
@ApplicationScoped
public class AssemblerProducers {

    @Produces
    @Singleton
    Topology topology(
            AssemblerConfig assembler,
            ClientSettings clients,
            SchemaRegistryClient registry,
            OpenTelemetry openTelemetry) {
        return AssemblerTopology.build(assembler.settings(), registry, clients.autoRegister(), openTelemetry);
    }
}
