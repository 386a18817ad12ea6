package io.pagestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagestream.topics.ServicePrincipal;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Strimzi {@code KafkaUser}s are {@link ServicePrincipal}'s ACLs, no more and no less: one user per principal,
 * none other; and each service runs as its own user, through the shared client properties file.
 */
class KafkaUsersTest {
    private static final String USER_MOUNT = "/etc/pagestream/kafka-user";
    private static final String CA_MOUNT = "/etc/pagestream/kafka-ca";
    private static final String CONFIG_FILE = "/etc/pagestream/kafka/client.properties";
    private static final Map<Service, ServicePrincipal> PRINCIPALS = Map.of(
            Service.INGEST, ServicePrincipal.INGEST,
            Service.WORKER, ServicePrincipal.WORKER,
            Service.ASSEMBLER, ServicePrincipal.ASSEMBLER);

    @Test
    void everyPrincipalHasAKafkaUserWithExactlyItsAcls() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), aclProblems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void aMissingOrAnExtraAclOrUserIsReported() {
        String users = Repo.read(Repo.K8S.resolve("base/kafka-users.yaml"))
                // The worker loses its group and gains the requests topic.
                .replace(
                        "      - resource: {type: group, name: pagestream-worker, patternType: literal}\n",
                        "      - resource: {type: topic, name: documents.requests, patternType: literal}\n")
                .replace("  name: pagestream-watch\n", "  name: pagestream-reader\n");
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base").stream()
                .filter(d -> !d.path("kind").asText().equals("KafkaUser"))
                .toList());
        docs.addAll(Repo.yamlDocuments(users));
        assertEquals(
                List.of(
                        "KafkaUser pagestream-worker lacks (pattern=ResourcePattern(resourceType=GROUP,"
                                + " name=pagestream-worker, patternType=LITERAL), entry=(principal=User:pagestream-worker,"
                                + " host=*, operation=READ, permissionType=ALLOW))",
                        "KafkaUser pagestream-worker has more: (pattern=ResourcePattern(resourceType=TOPIC,"
                                + " name=documents.requests, patternType=LITERAL), entry=(principal=User:pagestream-worker,"
                                + " host=*, operation=READ, permissionType=ALLOW))",
                        "no KafkaUser for principal pagestream-watch",
                        "KafkaUser pagestream-reader is no ServicePrincipal"),
                aclProblems(docs));
    }

    @Test
    void eachServiceRunsAsItsOwnUser() {
        for (String dir : Repo.OVERLAYS) {
            assertEquals(List.of(), loginProblems(Kustomize.render(dir)), dir);
        }
    }

    @Test
    void aServiceMountingAnotherPrincipalsSecretIsReported() {
        String worker = Repo.read(Repo.K8S.resolve("base/worker.yaml"))
                .replace("secretName: pagestream-worker\n", "secretName: pagestream-ingest\n");
        List<JsonNode> docs = new ArrayList<>(Kustomize.render("base").stream()
                .filter(d -> !d.at("/metadata/name").asText().equals("pagestream-worker")
                        || d.path("kind").asText().equals("KafkaUser"))
                .toList());
        docs.addAll(Repo.yamlDocuments(worker));
        assertEquals(
                List.of("StatefulSet pagestream-worker containers/worker: " + USER_MOUNT
                        + " mounts the Secret pagestream-ingest, not pagestream-worker"),
                loginProblems(docs));
    }

    /**
     * The shared client properties name no secret: Kafka's own DirectoryConfigProvider reads the JAAS line and the
     * trust store's password from the mounted Secrets' files, as a client of this Kafka version resolves them.
     */
    @Test
    void theClientPropertiesReadTheMountedSecrets(@TempDir Path dir) throws IOException {
        Path user = Files.createDirectories(dir.resolve("kafka-user"));
        Path ca = Files.createDirectories(dir.resolve("kafka-ca"));
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pagestream-worker\""
                + " password=\"s3cret\";";
        Files.writeString(user.resolve("sasl.jaas.config"), jaas);
        Files.writeString(ca.resolve("ca.password"), "ca-pass");
        String file = Manifests.only(Kustomize.render("base"), "ConfigMap", "pagestream-kafka-client")
                .at("/data/client.properties")
                .asText()
                .replace(USER_MOUNT, user.toString())
                .replace(CA_MOUNT, ca.toString());
        Properties properties = new Properties();
        properties.load(new StringReader(file));
        Map<String, Object> settings = new HashMap<>();
        properties.forEach((k, v) -> settings.put(k.toString(), v));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "pagestream-kafka-bootstrap:9093");

        AdminClientConfig config = new AdminClientConfig(settings);

        assertEquals(jaas, config.getPassword(SaslConfigs.SASL_JAAS_CONFIG).value());
        assertEquals(
                "ca-pass",
                config.getPassword(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG).value());
        assertEquals("SASL_SSL", config.getString(AdminClientConfig.SECURITY_PROTOCOL_CONFIG));
        assertEquals(ca + "/ca.p12", config.getString(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG));
    }

    static List<String> aclProblems(List<JsonNode> docs) {
        Map<String, Set<AclBinding>> users = new HashMap<>();
        for (JsonNode doc : Manifests.ofKind(docs, "KafkaUser")) {
            KafkaUser user = StrictModels.parse(doc, KafkaUser.class);
            users.put(user.getMetadata().getName(), KafkaUserAcls.of(user));
        }
        List<String> problems = new ArrayList<>();
        for (ServicePrincipal principal : ServicePrincipal.ALL) {
            Set<AclBinding> actual = users.get(principal.user());
            if (actual == null) {
                problems.add("no KafkaUser for principal " + principal.user());
                continue;
            }
            Set<AclBinding> missing = new LinkedHashSet<>(principal.acls());
            missing.removeAll(actual);
            Set<AclBinding> extra = new LinkedHashSet<>(actual);
            principal.acls().forEach(extra::remove);
            missing.forEach(acl -> problems.add("KafkaUser " + principal.user() + " lacks " + acl));
            extra.forEach(acl -> problems.add("KafkaUser " + principal.user() + " has more: " + acl));
        }
        Set<String> known = new LinkedHashSet<>(
                ServicePrincipal.ALL.stream().map(ServicePrincipal::user).toList());
        users.keySet().stream()
                .filter(name -> !known.contains(name))
                .sorted()
                .forEach(name -> problems.add("KafkaUser " + name + " is no ServicePrincipal"));
        return problems;
    }

    static List<String> loginProblems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        for (Service service : Service.ALL) {
            Containers.Found main = Containers.main(docs, service).orElseThrow();
            String user = PRINCIPALS.get(service).user();
            if (!CONFIG_FILE.equals(main.env().get("PAGESTREAM_KAFKA_CONFIG_FILE"))) {
                problems.add(main.where() + ": PAGESTREAM_KAFKA_CONFIG_FILE is not " + CONFIG_FILE);
            }
            String secret = secretMountedAt(main, USER_MOUNT);
            if (!user.equals(secret)) {
                problems.add(main.where() + ": " + USER_MOUNT + " mounts the Secret " + secret + ", not " + user);
            }
            if (!"pagestream-cluster-ca-cert".equals(secretMountedAt(main, CA_MOUNT))) {
                problems.add(main.where() + ": " + CA_MOUNT + " does not mount the cluster CA's Secret");
            }
        }
        return problems;
    }

    /** The Secret whose volume the container mounts at {@code path}, or null. */
    private static String secretMountedAt(Containers.Found container, String path) {
        for (JsonNode mount : container.node().path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                for (JsonNode volume : container.workload().at("/spec/template/spec/volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText())) {
                        return volume.at("/secret/secretName").asText(null);
                    }
                }
            }
        }
        return null;
    }
}
