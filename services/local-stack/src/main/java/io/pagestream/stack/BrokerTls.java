package io.pagestream.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a broker certificate it signed for loopback ({@code 127.0.0.1},
 * {@code localhost}), as PKCS12 stores made with the JDK's {@code keytool}: the broker's key store (key, certificate,
 * chain) and the trust store that clients use (the CA's certificate only). The same CA signs client certificates
 * ({@link #issueClientCertificate}), which the broker's certificate listener trusts.
 *
 * @param dir where the CA ({@code ca.p12}, {@code ca.crt}) and every store it signed live
 */
public record BrokerTls(Path dir, Path keystore, Path truststore, String password) {

    public static final String STORE_TYPE = "PKCS12";
    private static final String CA_ALIAS = "ca";
    private static final String BROKER_NAMES = "SAN=ip:127.0.0.1,dns:localhost";

    public static BrokerTls generate(Path dir, String password) throws IOException {
        Files.createDirectories(dir);
        keytool(newKeyPair(ca(dir), password, CA_ALIAS, "CN=pagestream test CA", "bc:c"));
        keytool(store(
                ca(dir),
                password,
                "-exportcert",
                "-rfc",
                "-alias",
                CA_ALIAS,
                "-file",
                caCertificate(dir).toString()));
        Path truststore = dir.resolve("truststore.p12");
        keytool(store(
                truststore,
                password,
                "-importcert",
                "-noprompt",
                "-alias",
                CA_ALIAS,
                "-file",
                caCertificate(dir).toString()));
        BrokerTls tls = new BrokerTls(dir, dir.resolve("broker.p12"), truststore, password);
        tls.issue("broker", "CN=localhost", BROKER_NAMES, tls.keystore());
        return tls;
    }

    /**
     * A key store ({@code <user>.p12} in {@link #dir}, this record's password) holding a new key and its certificate
     * for {@code CN=<user>,OU=clients,O=pagestream}, signed by the CA for client authentication: what a Strimzi
     * {@code KafkaUser} of type {@code tls} gets in its Secret's {@code user.p12}. A user has one: asked again, this
     * returns the store issued before.
     */
    public synchronized Path issueClientCertificate(String user) throws IOException {
        Path keystore = dir.resolve(user + ".p12");
        if (Files.exists(keystore)) {
            return keystore;
        }
        issue(user, "CN=" + user + ",OU=clients,O=pagestream", "EKU=clientAuth", keystore);
        return keystore;
    }

    /** A key pair in {@code keystore} under {@code alias}, its certificate replaced by one the CA signed, chain too. */
    private void issue(String alias, String name, String extension, Path keystore) throws IOException {
        Path request = dir.resolve(alias + ".csr");
        Path certificate = dir.resolve(alias + ".crt");
        keytool(newKeyPair(keystore, password, alias, name, extension));
        keytool(store(keystore, password, "-certreq", "-alias", alias, "-file", request.toString()));
        keytool(store(
                ca(dir),
                password,
                "-gencert",
                "-rfc",
                "-alias",
                CA_ALIAS,
                "-validity",
                "2",
                "-ext",
                extension,
                "-infile",
                request.toString(),
                "-outfile",
                certificate.toString()));
        keytool(store(
                keystore,
                password,
                "-importcert",
                "-noprompt",
                "-alias",
                CA_ALIAS,
                "-file",
                caCertificate(dir).toString()));
        keytool(store(
                keystore, password, "-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString()));
    }

    private static Path ca(Path dir) {
        return dir.resolve("ca.p12");
    }

    private static Path caCertificate(Path dir) {
        return dir.resolve("ca.crt");
    }

    private static List<String> newKeyPair(
            Path keystore, String password, String alias, String name, String extension) {
        return store(
                keystore,
                password,
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                name,
                "-ext",
                extension,
                "-validity",
                "2");
    }

    private static List<String> store(Path keystore, String password, String... arguments) {
        List<String> command = new ArrayList<>(List.of(arguments));
        command.addAll(List.of("-storetype", STORE_TYPE, "-keystore", keystore.toString(), "-storepass", password));
        return command;
    }

    private static void keytool(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments.get(0) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
