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
 * chain) and the trust store that clients use (the CA's certificate only).
 */
public record BrokerTls(Path keystore, Path truststore, String password) {

    public static final String STORE_TYPE = "PKCS12";

    public static BrokerTls generate(Path dir, String password) throws IOException {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        Path caCertificate = dir.resolve("ca.crt");
        Path keystore = dir.resolve("broker.p12");
        Path request = dir.resolve("broker.csr");
        Path brokerCertificate = dir.resolve("broker.crt");
        Path truststore = dir.resolve("truststore.p12");
        keytool(newKeyPair(ca, password, "ca", "CN=pagestream test CA", "bc:c"));
        keytool(store(ca, password, "-exportcert", "-rfc", "-alias", "ca", "-file", caCertificate.toString()));
        keytool(newKeyPair(keystore, password, "broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost"));
        keytool(store(keystore, password, "-certreq", "-alias", "broker", "-file", request.toString()));
        keytool(store(
                ca,
                password,
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-validity",
                "2",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-infile",
                request.toString(),
                "-outfile",
                brokerCertificate.toString()));
        keytool(store(
                keystore, password, "-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate.toString()));
        keytool(store(
                keystore,
                password,
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                brokerCertificate.toString()));
        keytool(store(
                truststore, password, "-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate.toString()));
        return new BrokerTls(keystore, truststore, password);
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
