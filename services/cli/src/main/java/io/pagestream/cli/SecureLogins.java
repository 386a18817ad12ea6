package io.pagestream.cli;

import io.pagestream.registry.RegistryConfig;
import io.pagestream.stack.SecureKafka;
import io.pagestream.topics.ServicePrincipal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The logins of the secured local pipeline, made on a fresh {@link SecureKafka}: one SCRAM user per
 * {@link ServicePrincipal} with a random password and exactly that principal's ACLs, each with its client properties
 * file ({@code <user>.properties}, what {@code pagestream.kafka.config-file} and {@code --command-config} take), and
 * ingest's API key and id secret. The {@code pagestream-watch} file also names the broker and the registry, so that
 * {@code watch --command-config} needs nothing else.
 *
 * @param clientFiles each principal's client properties file, by user name
 * @param apiKey      the one key ingest accepts (X-API-Key)
 * @param idSecret    ingest's {@code pagestream.ingest.id-secret}
 */
record SecureLogins(Map<String, Path> clientFiles, String apiKey, String idSecret) {

    SecureLogins {
        clientFiles = Map.copyOf(clientFiles);
    }

    static SecureLogins create(SecureKafka kafka, String registryUrl, Path dir) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (ServicePrincipal principal : ServicePrincipal.ALL) {
            String password = randomSecret();
            kafka.createUser(principal.user(), password);
            files.put(
                    principal.user(),
                    kafka.writeClientProperties(
                            principal.user(), password, dir.resolve(principal.user() + ".properties")));
        }
        kafka.createAcls(ServicePrincipal.allAcls());
        // The services refuse bootstrap.servers in their file (one place names the brokers); watch takes it from here.
        Files.writeString(
                files.get(ServicePrincipal.WATCH.user()),
                CommandConfig.BOOTSTRAP_SERVERS + "=" + kafka.bootstrapServers() + "\n" + RegistryConfig.URL + "="
                        + registryUrl + "\n",
                StandardCharsets.ISO_8859_1,
                StandardOpenOption.APPEND);
        return new SecureLogins(files, randomSecret(), randomSecret());
    }

    Path file(ServicePrincipal principal) {
        return clientFiles.get(principal.user());
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
