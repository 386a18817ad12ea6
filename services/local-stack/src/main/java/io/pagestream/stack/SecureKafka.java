package io.pagestream.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * A single-node broker as a secured cluster runs one: clients connect over SASL_SSL and log in with SCRAM-SHA-512,
 * or over SSL with a client certificate (mTLS, {@link #certificateBootstrapServers}), and the
 * {@code StandardAuthorizer} refuses whatever no ACL allows. The broker's TLS certificate and the clients' come from a
 * CA generated at start ({@link BrokerTls}); a certificate's CN is its principal's name (a principal mapping rule), so
 * one set of ACLs serves both logins. The {@value #ADMIN} user, created with the storage, is the super user that
 * creates users, topics and ACLs. The controller listener stays on loopback with SASL PLAIN (KRaft cannot check SCRAM
 * there: the credentials live in the metadata it serves).
 */
public final class SecureKafka implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String MECHANISM = ScramMechanism.SCRAM_SHA_512.mechanismName();
    /**
     * {@code CN=pagestream-worker,OU=clients,O=pagestream} logs in as {@code User:pagestream-worker}, the SCRAM user's
     * principal; a subject without a CN keeps its whole name (Kafka's {@code DEFAULT}), which no ACL names.
     */
    private static final String CN_IS_THE_USER = "RULE:^CN=([^,]+)(,.*)?$/$1/,DEFAULT";

    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    /** Stops the broker: a {@link KafkaBroker} in this JVM, or {@link #process}. */
    private final Runnable stop;

    private final Optional<ChildProcess> process;
    private final String bootstrapServers;
    private final String certificateBootstrapServers;
    private final BrokerTls tls;
    private final String adminPassword;

    private SecureKafka(
            Runnable stop,
            Optional<ChildProcess> process,
            String bootstrapServers,
            String certificateBootstrapServers,
            BrokerTls tls,
            String adminPassword) {
        this.stop = stop;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.certificateBootstrapServers = certificateBootstrapServers;
        this.tls = tls;
        this.adminPassword = adminPassword;
    }

    /** Starts a secured broker on free loopback ports, with certificates and storage in a temporary directory. */
    public static SecureKafka start() throws IOException {
        Path workDir = Files.createTempDirectory("pagestream-secure-kafka-");
        try {
            BrokerTls tls = BrokerTls.generate(workDir.resolve("tls"), randomSecret());
            String adminPassword = randomSecret();
            BrokerConfig config = BrokerConfig.onFreePorts(workDir.resolve("logs"));
            int certificatePort = FreePorts.pick();
            Map<String, String> properties = securedProperties(config, certificatePort, tls, adminPassword);
            BrokerConfig.writeAndFormat(
                    config.logDir(),
                    properties,
                    List.of("--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"));
            Map<String, Object> admin = clientSecurity(tls, ADMIN, adminPassword);
            KafkaBroker broker = KafkaBroker.start(config, properties, admin, workDir);
            return new SecureKafka(
                    broker::close,
                    Optional.empty(),
                    config.bootstrapServers(),
                    loopback(certificatePort),
                    tls,
                    adminPassword);
        } catch (IOException | RuntimeException e) {
            Directories.deleteQuietly(workDir);
            throw e;
        }
    }

    /**
     * The same broker as a child process ({@code kafka.Kafka} on this JVM's classpath, as {@link KafkaBrokerProcess}
     * runs the plain one) for local runs: its SASL_SSL client port is {@code port} (0: a free one), the certificate
     * listener's a free one, its certificates, data and log ({@code kafka.log}) in {@code dataDir}.
     */
    public static SecureKafka startProcess(Path dataDir, int port) throws IOException {
        BrokerTls tls = BrokerTls.generate(dataDir.resolve("kafka-tls"), randomSecret());
        String adminPassword = randomSecret();
        BrokerConfig config = new BrokerConfig(FreePorts.orPick(port), FreePorts.pick(), dataDir.resolve("kafka-logs"));
        int certificatePort = FreePorts.pick();
        Path properties = BrokerConfig.writeAndFormat(
                config.logDir(),
                securedProperties(config, certificatePort, tls, adminPassword),
                List.of("--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"));
        ChildProcess child = KafkaBrokerProcess.brokerChild(properties, dataDir.resolve("kafka.log"));
        try {
            Readiness.await(
                    "Kafka broker (SASL_SSL) at " + config.bootstrapServers(),
                    Duration.ofSeconds(90),
                    child::isAlive,
                    () -> Readiness.kafkaAnswers(config.bootstrapServers(), clientSecurity(tls, ADMIN, adminPassword)),
                    child::logTail);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return new SecureKafka(
                child::close,
                Optional.of(child),
                config.bootstrapServers(),
                loopback(certificatePort),
                tls,
                adminPassword);
    }

    /** The broker's process when it runs as one ({@link #startProcess}). */
    public Optional<ChildProcess> process() {
        return process;
    }

    private static Map<String, String> securedProperties(
            BrokerConfig config, int certificatePort, BrokerTls tls, String adminPassword) {
        Map<String, String> p = new HashMap<>(config.properties());
        String clients = "SASL_SSL://" + config.bootstrapServers() + ",SSL://" + loopback(certificatePort);
        p.put("listeners", clients + ",CONTROLLER://127.0.0.1:" + config.controllerPort());
        p.put("advertised.listeners", clients);
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:SASL_PLAINTEXT");
        p.put("listener.name.ssl.ssl.client.auth", "required");
        p.put("listener.name.ssl.ssl.principal.mapping.rules", CN_IS_THE_USER);
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put(
                "listener.name.sasl_ssl." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                scramLogin(ADMIN, adminPassword));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put(
                "listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                        + "\" password=\"" + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";");
        p.put("ssl.keystore.location", tls.keystore().toString());
        p.put("ssl.keystore.password", tls.password());
        p.put("ssl.keystore.type", BrokerTls.STORE_TYPE);
        p.put("ssl.truststore.location", tls.truststore().toString());
        p.put("ssl.truststore.password", tls.password());
        p.put("ssl.truststore.type", BrokerTls.STORE_TYPE);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + ADMIN);
        return p;
    }

    /** The SASL_SSL listener: SCRAM logins. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SSL listener with {@code ssl.client.auth=required}: a certificate the CA signed is the login. */
    public String certificateBootstrapServers() {
        return certificateBootstrapServers;
    }

    public Path truststore() {
        return tls.truststore();
    }

    public String truststorePassword() {
        return tls.password();
    }

    /** What a client of {@code user} needs besides the bootstrap servers: Kafka's own setting names. */
    public Map<String, Object> clientSecurity(String user, String password) {
        return clientSecurity(tls, user, password);
    }

    /** The super user's settings, bootstrap servers included. */
    public Map<String, Object> adminSettings() {
        Map<String, Object> settings = new HashMap<>(clientSecurity(ADMIN, adminPassword));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return settings;
    }

    /**
     * Writes {@code user}'s {@link #clientSecurity} as a Kafka client properties file, the format that
     * {@code --command-config} and the services' {@code pagestream.kafka.config-file} take (no bootstrap servers: the
     * services name those apart).
     */
    public Path writeClientProperties(String user, String password, Path file) throws IOException {
        return write(clientSecurity(user, password), "Kafka client settings of " + user, file);
    }

    /**
     * What a client of {@code user} needs to log in with a certificate at {@link #certificateBootstrapServers}: its key
     * store (issued by the CA on first use) and the trust store, by Kafka's setting names.
     */
    public Map<String, Object> certificateClientSecurity(String user) throws IOException {
        Map<String, Object> settings = new HashMap<>(trust(tls));
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        settings.put(
                SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
                tls.issueClientCertificate(user).toString());
        settings.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password());
        settings.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, BrokerTls.STORE_TYPE);
        return Map.copyOf(settings);
    }

    /** {@link #writeClientProperties} for a certificate login: {@code user}'s {@link #certificateClientSecurity}. */
    public Path writeCertificateClientProperties(String user, Path file) throws IOException {
        return write(certificateClientSecurity(user), "Kafka client settings of " + user + " (mTLS)", file);
    }

    private static Path write(Map<String, Object> settings, String comment, Path file) throws IOException {
        Properties properties = new Properties();
        settings.forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, comment);
        }
        return file;
    }

    /** Creates (or changes the password of) a SCRAM user, and returns once the user can log in. */
    public void createUser(String user, String password) {
        try (Admin admin = Admin.create(adminSettings())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating user " + user + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating user " + user, e);
        }
        Readiness.await(
                "a login of " + user,
                PROPAGATION,
                () -> true,
                () -> Readiness.kafkaAnswers(bootstrapServers(), clientSecurity(user, password)),
                () -> "");
    }

    /** Creates {@code acls}, and returns once the broker's authorizer enforces them. */
    public void createAcls(Collection<AclBinding> acls) {
        try (Admin admin = Admin.create(adminSettings())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            Readiness.await("the ACLs", PROPAGATION, () -> true, () -> enforced(admin, acls), () -> "");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating ACLs failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        }
    }

    /** The broker answers ACL descriptions from its authorizer's own copy, so what it lists is what it enforces. */
    private static boolean enforced(Admin admin, Collection<AclBinding> acls) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY)
                    .values()
                    .get(5, TimeUnit.SECONDS)
                    .containsAll(acls);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop.run();
    }

    private static Map<String, Object> clientSecurity(BrokerTls tls, String user, String password) {
        Map<String, Object> settings = new HashMap<>(trust(tls));
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, scramLogin(user, password));
        return Map.copyOf(settings);
    }

    /** The CA every client trusts, whichever way it logs in. */
    private static Map<String, Object> trust(BrokerTls tls) {
        return Map.of(
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                tls.truststore().toString(),
                SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
                tls.password(),
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
                BrokerTls.STORE_TYPE);
    }

    private static String loopback(int port) {
        return "127.0.0.1:" + port;
    }

    private static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
