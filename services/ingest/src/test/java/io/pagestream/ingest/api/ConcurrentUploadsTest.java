package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Uploads still being received are bounded: with {@code max-concurrent-uploads} bodies arriving slowly, the next
 * submission is answered 503 BUSY with Retry-After before a byte of its body is sent; once those connections go away,
 * their places are free again.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class ConcurrentUploadsTest {
    private static final String BOUNDARY = "slow-upload-boundary";

    @Test
    void anUploadBeyondTheBoundIsBusyBeforeItsBodyIsReadAndAbandonedUploadsFreeTheirPlaces() throws Exception {
        int bound = ConfigProvider.getConfig().getValue("pagestream.ingest.max-concurrent-uploads", Integer.class);
        List<Socket> held = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try {
            for (int i = 0; i < bound; i++) {
                held.add(upload(true));
            }
            // A probe the service did not refuse is waiting for its body: it is held as well, and the next one is
            // refused (each held connection is counted as soon as its request line and headers arrive).
            Wait.upTo(Duration.ofSeconds(30))
                    .alias("an upload beyond the bound refused before its body was sent")
                    .until(() -> {
                        Socket probe = upload(false);
                        String answer = answer(probe);
                        if (answer == null) {
                            held.add(probe);
                            return false;
                        }
                        probe.close();
                        refused.add(answer);
                        return true;
                    });
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        String answer = refused.get(0);
        assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
        assertTrue(answer.contains("\"reason\":\"BUSY\""), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 2"), answer);

        Wait.upTo(Duration.ofSeconds(30))
                .alias("a submission accepted once the slow uploads went away")
                .until(() ->
                        Submit.file("after.png", TestFiles.png(70, 60)).post().statusCode() == 202);
    }

    /** A multipart upload of 3 MB that sends its headers and, with {@code startBody}, the first bytes of its body. */
    private static Socket upload(boolean startBody) throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        String head = "POST /v1/documents HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                + "Content-Length: 3000000\r\n\r\n";
        String bodyStart = "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"slow.png\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write((startBody ? head + bodyStart : head).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** What the service answered within a second, or null when nothing came (it waits for the body). */
    private static String answer(Socket socket) throws IOException {
        socket.setSoTimeout(1000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            socket.getInputStream().transferTo(got);
        } catch (SocketTimeoutException e) {
            // the connection stays open: what came so far is the answer
        }
        return got.size() == 0 ? null : got.toString(StandardCharsets.ISO_8859_1);
    }
}
