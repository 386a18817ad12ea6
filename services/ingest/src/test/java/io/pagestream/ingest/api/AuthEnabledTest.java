package io.pagestream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Authentication switched on (as in the Kubernetes manifests): /v1 needs an API key or a bearer token signed by the
 * configured key; health, metrics and OpenAPI stay open on the management port. (Off, the embedded default, is what every other test runs.)
 */
@QuarkusTest
@TestProfile(AuthEnabledTest.AuthOn.class)
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class AuthEnabledTest {
    static final String ISSUER = "https://auth.test.pagestream";
    static final String FIRST_KEY = "first-key-5f0c2b9e7d4a1c8e6b3f";
    static final String SECOND_KEY = "second-key-9a7c5e3b1d8f6a4c2e0b";

    @TestHTTPResource(value = "/", management = true)
    URL management;
    /** The key pair lives in files, so the profile (which configures the public key) and the test share it. */
    static final Path KEYS = Path.of("target", "test-jwt");

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            keys();
            return Map.of(
                    "pagestream.ingest.auth.enabled",
                    "true",
                    "pagestream.ingest.auth.api-keys",
                    FIRST_KEY + "," + SECOND_KEY,
                    "pagestream.ingest.id-secret",
                    "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                    "mp.jwt.verify.publickey.location",
                    KEYS.resolve("public.pem").toUri().toString(),
                    "mp.jwt.verify.issuer",
                    ISSUER);
        }
    }

    @Test
    void documentsNeedAKeyOrATokenWhileOperationsStayOpen() throws Exception {
        byte[] png = TestFiles.png(100, 80);
        assertEquals(401, Submit.file("a.png", png).post().statusCode());
        assertEquals(401, Submit.file("a.png", png).apiKey("wrong-key").post().statusCode());
        assertEquals(202, Submit.file("a.png", png).apiKey(SECOND_KEY).post().statusCode());

        String token = Jwt.issuer(ISSUER)
                .upn("alice@example.com")
                .claim("tenant", "acme")
                .expiresIn(Duration.ofMinutes(5))
                .sign(privateKey());
        Response accepted = Submit.file("b.png", png).bearer(token).post();
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.jsonPath().getString("documentId");
        assertEquals(
                "acme",
                TopicRecorder.get()
                        .await(id, DocumentRequest.class, l -> !l.isEmpty())
                        .getFirst()
                        .getTenant(),
                "the token's tenant claim");
        String tenantless = Jwt.issuer(ISSUER)
                .upn("bob@example.com")
                .expiresIn(Duration.ofMinutes(5))
                .sign(privateKey());
        assertEquals(401, Submit.file("d.png", png).bearer(tenantless).post().statusCode(), "no tenant claim");
        String malformed = Jwt.issuer(ISSUER)
                .upn("eve@example.com")
                .claim("tenant", "../acme")
                .expiresIn(Duration.ofMinutes(5))
                .sign(privateKey());
        assertEquals(401, Submit.file("e.png", png).bearer(malformed).post().statusCode(), "not a tenant name");
        String foreign = Jwt.issuer("https://someone.else").upn("mallory").sign(privateKey());
        assertEquals(401, Submit.file("c.png", png).bearer(foreign).post().statusCode());

        var operations = given().baseUri("http://" + management.getHost()).port(management.getPort());
        operations.when().get("/q/health/live").then().statusCode(200);
        operations.when().get("/q/metrics").then().statusCode(200);
        operations.when().get("/q/openapi").then().statusCode(200);
    }

    static synchronized void keys() {
        try {
            if (Files.exists(KEYS.resolve("private.der"))) {
                return;
            }
            Files.createDirectories(KEYS);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes())
                            .encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(KEYS.resolve("public.pem"), pem);
            Files.write(KEYS.resolve("private.der"), pair.getPrivate().getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey privateKey() throws Exception {
        keys();
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(KEYS.resolve("private.der"))));
    }
}
