package io.pagestream.ingest.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: what a hostile client sends (a body that breaks its own
 * multipart framing, any header) and what no HTTP client library would. One request per connection.
 */
public final class RawHttp {
    private final String host;
    private final int port;
    private final int timeoutMillis;

    public RawHttp(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** The status line's code and the body of an answer; status 0 when none came (connection reset or timed out). */
    public record Answer(int status, String head, String body) {
        public boolean answered() {
            return status > 0;
        }

        /** The {@code reason} of a JSON refusal, or null. */
        public String reason() {
            int at = body.indexOf("\"reason\":\"");
            if (at < 0) {
                return null;
            }
            int from = at + "\"reason\":\"".length();
            return body.substring(from, body.indexOf('"', from));
        }

        public boolean hasHeader(String name) {
            return head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A POST of {@code body} to {@code path} with {@code contentType} and a true Content-Length. */
    public Answer post(String path, String contentType, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        return exchange(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /** Sends {@code head} then {@code body} as they are and reads the answer until the server closes. */
    public Answer exchange(byte[] head, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head);
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // The server may answer (and close) before it read the whole body: its answer is still there.
            }
            return read(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return new Answer(0, "", "timed out");
        } catch (IOException e) {
            return new Answer(0, "", String.valueOf(e));
        }
    }

    /**
     * Reads one answer: to the end of its declared Content-Length or its last chunk, else until the server closes (a
     * server that answers before reading the whole body may keep the connection open).
     */
    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; !complete(all.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (all.size() == 0) {
                throw e;
            }
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            return new Answer(0, text, "no HTTP answer");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        return new Answer(status, text.substring(0, end + 2), text.substring(end + 4));
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end + 2).toLowerCase(Locale.ROOT);
        String body = text.substring(end + 4);
        int length = head.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int from = length + "\r\ncontent-length:".length();
            return body.length()
                    >= Long.parseLong(
                            head.substring(from, head.indexOf("\r\n", from)).strip());
        }
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            return body.endsWith("0\r\n\r\n");
        }
        return false;
    }
}
