package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.fuzz.MultipartBody;
import io.pagestream.ingest.fuzz.RawHttp;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multipart bodies that break the form's own rules, sent byte for byte over a socket: each is a 4xx with a reason
 * code and a JSON body, never a 500, and the next good document still goes through.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class HostileMultipartTest {
    private static final String BOUNDARY = "hostile-boundary";
    private static final byte[] PNG = TestFiles.png(60, 40);

    /** What is sent: the Content-Type and the body. */
    record Request(String contentType, byte[] body) {}

    static MultipartBody form() {
        return new MultipartBody(BOUNDARY);
    }

    static Request multipart(byte[] body) {
        return new Request(form().contentType(), body);
    }

    static Stream<Arguments> hostile() {
        MultipartBody manyFields = form().file("a.png", PNG);
        for (int i = 0; i < 50_000; i++) {
            manyFields.field("f" + i, "1");
        }
        byte[] good = form().file("a.png", PNG).bytes();
        return Stream.of(
                Arguments.of(
                        "unterminated body",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().file("a.png", PNG).unterminated())),
                Arguments.of(
                        "body ending inside the file",
                        400,
                        "INVALID_REQUEST",
                        multipart(Arrays.copyOf(good, good.length / 2))),
                Arguments.of(
                        "base64 file part",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().part(
                                        "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                                                + "Content-Transfer-Encoding: base64\r\n",
                                        Base64.getMimeEncoder().encode(PNG))
                                .bytes())),
                Arguments.of(
                        "base64 part that is not base64",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().part(
                                        "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                                                + "Content-Transfer-Encoding: base64\r\n",
                                        "!!!% not base64 \u0000".getBytes(StandardCharsets.ISO_8859_1))
                                .bytes())),
                Arguments.of(
                        "quoted-printable field",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().file("a.png", PNG)
                                .part(
                                        "Content-Disposition: form-data; name=\"question\"\r\n"
                                                + "Content-Transfer-Encoding: quoted-printable\r\n",
                                        "caf=C3=A9=\r\n?=ZZ".getBytes(StandardCharsets.ISO_8859_1))
                                .bytes())),
                Arguments.of("50,000 form fields", 400, "INVALID_REQUEST", multipart(manyFields.bytes())),
                Arguments.of(
                        "a field over the field size limit",
                        413,
                        "TOO_LARGE",
                        multipart(form().file("a.png", PNG)
                                .field("metadata", "{\"k\":\"" + "v".repeat(200_000) + "\"}")
                                .bytes())),
                Arguments.of(
                        "a part without a name",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().part("Content-Disposition: form-data; filename=\"a.png\"\r\n", PNG)
                                .bytes())),
                Arguments.of(
                        "a part without Content-Disposition",
                        400,
                        "INVALID_REQUEST",
                        multipart(
                                form().part("Content-Type: image/png\r\n", PNG).bytes())),
                Arguments.of(
                        "two files",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().file("a.png", PNG).file("b.png", PNG).bytes())),
                Arguments.of(
                        "two idempotency keys",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().file("a.png", PNG)
                                .field("idempotencyKey", "one-" + System.nanoTime())
                                .field("idempotencyKey", "two-" + System.nanoTime())
                                .bytes())),
                Arguments.of(
                        "an unknown charset",
                        400,
                        "INVALID_REQUEST",
                        multipart(form().file("a.png", PNG)
                                .part(
                                        "Content-Disposition: form-data; name=\"question\"\r\n"
                                                + "Content-Type: text/plain; charset=no-such-charset\r\n",
                                        "what?".getBytes(StandardCharsets.US_ASCII))
                                .bytes())),
                Arguments.of(
                        "part headers that never end",
                        400,
                        "INVALID_REQUEST",
                        multipart(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"")
                                .getBytes(StandardCharsets.US_ASCII))),
                Arguments.of(
                        "a wrong boundary",
                        400,
                        "INVALID_REQUEST",
                        new Request("multipart/form-data; boundary=another", good)),
                Arguments.of("no boundary", 400, "INVALID_REQUEST", new Request("multipart/form-data", good)),
                Arguments.of(
                        "an empty boundary",
                        400,
                        "INVALID_REQUEST",
                        new Request("multipart/form-data; boundary=", good)),
                Arguments.of("an empty body", 400, "INVALID_REQUEST", multipart(new byte[0])),
                Arguments.of("garbage content type", 415, "UNSUPPORTED_FORMAT", new Request(";;; garbage/=", good)),
                Arguments.of("not a form", 415, "UNSUPPORTED_FORMAT", new Request("application/pdf", PNG)),
                Arguments.of(
                        "a url-encoded form",
                        415,
                        "UNSUPPORTED_FORMAT",
                        new Request(
                                "application/x-www-form-urlencoded", "file=abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void aBrokenFormIsA4xxWithAReasonAndTheNextDocumentGoesThrough(
            String label, int status, String reason, Request request) {
        RawHttp http = new RawHttp("localhost", RestAssured.port, 60_000);
        RawHttp.Answer answer = http.post("/v1/documents", request.contentType(), request.body());
        assertEquals(status, answer.status(), label + ": " + answer);
        assertEquals(reason, answer.reason(), label + ": " + answer);
        assertTrue(
                answer.head().toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"),
                answer.head());

        RawHttp.Answer next = http.post(
                "/v1/documents",
                form().contentType(),
                form().file("next.png", TestFiles.png(70, 50)).bytes());
        assertEquals(202, next.status(), "a good document after " + label + ": " + next);
    }
}
