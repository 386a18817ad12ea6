package io.pagestream.deploy;

import io.pagestream.shell.ShellConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * One pagestream service: its module, image, Dockerfile, HTTP and management ports as its own configuration says, and the
 * {@code @ConfigMapping}s it reads: the service shell's (Kafka and the registry, shared by all) and its own.
 */
record Service(String name, List<Class<?>> configMappings) {

    static final Service INGEST =
            new Service("ingest", List.of(ShellConfig.class, io.pagestream.ingest.IngestConfig.class));
    static final Service WORKER =
            new Service("worker", List.of(ShellConfig.class, io.pagestream.worker.WorkerConfig.class));
    static final Service ASSEMBLER =
            new Service("assembler", List.of(ShellConfig.class, io.pagestream.assembler.config.AssemblerConfig.class));
    static final List<Service> ALL = List.of(INGEST, WORKER, ASSEMBLER);

    /** The one image naming scheme: ghcr.io/pagestream/<service>:<Maven project version>. */
    String image() {
        return "ghcr.io/pagestream/" + name + ":" + Repo.VERSION;
    }

    Path dockerfile() {
        return Repo.DOCKER.resolve(name + ".Dockerfile");
    }

    Path applicationProperties() {
        return Repo.ROOT.resolve("services/" + name + "/src/main/resources/application.properties");
    }

    Properties properties() {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(applicationProperties())) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    int httpPort() {
        return Integer.parseInt(properties().getProperty("quarkus.http.port"));
    }

    /**
     * The management interface's port (health, metrics, OpenAPI): Quarkus' default 9000 unless the service sets
     * another. A service without {@code quarkus.management.enabled=true} serves them on the API port, which the
     * manifests must not allow, so it fails here.
     */
    int managementPort() {
        Properties properties = properties();
        if (!"true".equals(properties.getProperty("quarkus.management.enabled"))) {
            throw new IllegalStateException(name + " does not set quarkus.management.enabled=true");
        }
        return Integer.parseInt(properties.getProperty("quarkus.management.port", "9000"));
    }

    static Optional<Service> byImage(String image) {
        return ALL.stream()
                .filter(s -> image.startsWith("ghcr.io/pagestream/" + s.name + ":"))
                .findFirst();
    }
}
