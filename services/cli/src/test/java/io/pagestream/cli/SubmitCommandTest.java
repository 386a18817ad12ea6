package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pagestream submit} against a stand-in of the ingest REST API (the CLI knows the service only by its HTTP
 * contract): multipart fields as the service reads them, one JSON line per accepted document, a 503 retried after
 * Retry-After with the same idempotency key, a refusal reported without stopping the batch.
 */
class SubmitCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/documents", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            bodies.add(body);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            keys.add(key);
            String answer;
            int status;
            if (body.contains("filename=\"busy.pdf\"")
                    && attempts.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() == 0) {
                status = 503;
                exchange.getResponseHeaders().add("Retry-After", "1");
                answer = "{\"documentId\":\"d-busy\",\"reason\":\"BUSY\",\"message\":\"at capacity\"}";
            } else if (body.contains("filename=\"notes.txt\"")) {
                status = 415;
                answer = "{\"documentId\":\"d-txt\",\"reason\":\"UNSUPPORTED_FORMAT\",\"message\":\"not a document\"}";
            } else {
                status = 202;
                String id = "d-" + Integer.toHexString(key.hashCode());
                answer = "{\"documentId\":\"" + id + "\",\"statusUrl\":\"/v1/documents/" + id
                        + "\",\"pageCount\":3,\"mediaType\":\"application/pdf\",\"duplicate\":false}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void submitsEveryFilePrintsOneLinePerAcceptedDocumentAndRetriesBusy(@TempDir Path dir) throws Exception {
        Path a = Files.write(dir.resolve("a.pdf"), "%PDF-1.7 first".getBytes(StandardCharsets.US_ASCII));
        Path busy = Files.write(dir.resolve("busy.pdf"), "%PDF-1.7 second".getBytes(StandardCharsets.US_ASCII));
        Path txt = Files.write(dir.resolve("notes.txt"), "hello".getBytes(StandardCharsets.US_ASCII));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(Main.class);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        int exit = cli.execute(
                "submit",
                "--url",
                url,
                "--ask",
                "Who signed it?",
                "--ask",
                "When?",
                a.toString(),
                busy.toString(),
                txt.toString());

        assertEquals(1, exit, "one file was refused: " + err);
        List<JsonNode> lines =
                out.toString().lines().map(SubmitCommandTest::json).toList();
        assertEquals(2, lines.size(), out.toString());
        for (JsonNode line : lines) {
            String id = line.get("documentId").asText();
            assertEquals(url + "/v1/documents/" + id, line.get("statusUrl").asText());
            assertEquals(3, line.get("pageCount").asInt());
        }
        assertTrue(err.toString().contains("503 BUSY; retrying in 1 s"), err.toString());
        assertTrue(err.toString().contains("refused 415 UNSUPPORTED_FORMAT: not a document"), err.toString());
        assertTrue(err.toString().contains("2 of 3 documents accepted"), err.toString());

        String first = bodies.stream()
                .filter(b -> b.contains("filename=\"a.pdf\""))
                .findFirst()
                .orElseThrow();
        assertTrue(first.contains(
                "name=\"question\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nWho signed it?\r\n"));
        assertTrue(first.contains("\r\n\r\nWhen?\r\n"));
        assertTrue(first.contains("%PDF-1.7 first\r\n--"), "the file's bytes travel as they are");
        List<String> busyKeys = keys.stream()
                .filter(k -> bodies.get(keys.indexOf(k)).contains("busy.pdf"))
                .toList();
        assertEquals(2, busyKeys.size(), "busy.pdf was sent twice");
        assertEquals(busyKeys.get(0), busyKeys.get(1), "the retry carries the same idempotency key");

        // Run again: random keys by default, so a new document nobody can derive from the file's content ...
        int before = keys.size();
        submitQuietly(url, a.toString());
        assertFalse(keys.subList(0, before).contains(keys.get(before)), "a fresh random key");
        assertEquals(
                4, UUID.fromString(keys.get(before).substring("cli-".length())).version());
        // ... and with --content-key the same files and questions give the same key each time (answered as retries).
        submitQuietly(url, "--content-key", a.toString());
        submitQuietly(url, "--content-key", a.toString());
        assertEquals(keys.get(before + 1), keys.get(before + 2), "same file, same questions: same key");
        assertTrue(keys.get(before + 1).matches("cli-[0-9a-f]{64}"), keys.get(before + 1));
    }

    private static void submitQuietly(String url, String... args) {
        CommandLine cli = new CommandLine(Main.class);
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        List<String> command =
                new java.util.ArrayList<>(List.of("submit", "--url", url, "--ask", "Who signed it?", "--ask", "When?"));
        command.addAll(List.of(args));
        cli.execute(command.toArray(String[]::new));
    }

    @Test
    void modeAndGroundingTravelAsFormFieldsAndMakeAnotherDocument(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("a.pdf"), "%PDF-1.7 one".getBytes(StandardCharsets.US_ASCII));
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                Main.commandLine()
                        .setOut(new PrintWriter(new StringWriter()))
                        .setErr(new PrintWriter(err))
                        .execute("submit", "--url", url, file.toString()),
                err.toString());
        assertEquals(
                0,
                Main.commandLine()
                        .setOut(new PrintWriter(new StringWriter()))
                        .setErr(new PrintWriter(err))
                        .execute("submit", "--url", url, "--mode", "layout", "--ground-answers", file.toString()),
                err.toString());
        assertEquals(2, bodies.size());
        assertTrue(
                !bodies.get(0).contains("name=\"mode\"") && !bodies.get(0).contains("name=\"groundAnswers\""),
                "the service's defaults unless asked: " + bodies.get(0));
        assertTrue(
                bodies.get(1).contains("name=\"mode\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nlayout\r\n"),
                bodies.get(1));
        assertTrue(
                bodies.get(1)
                        .contains("name=\"groundAnswers\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\ntrue\r\n"),
                bodies.get(1));
        assertTrue(!keys.get(0).equals(keys.get(1)), "the same file read another way is another document");

        StringWriter usage = new StringWriter();
        assertEquals(
                2,
                Main.commandLine()
                        .setErr(new PrintWriter(usage))
                        .execute("submit", "--url", url, "--mode", "handwriting", file.toString()));
        assertTrue(usage.toString().contains("handwriting"), usage.toString());
        assertEquals(2, bodies.size(), "nothing sent");
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
