package io.pagestream.ingest.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A multipart/form-data body built part by part, including parts no well-behaved client would write. */
public final class MultipartBody {
    private final String boundary;
    private final List<byte[]> parts = new ArrayList<>();

    public MultipartBody(String boundary) {
        this.boundary = boundary;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** A file part named {@code file}. */
    public MultipartBody file(String fileName, byte[] data) {
        return part(
                "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n",
                data);
    }

    /** A text field. */
    public MultipartBody field(String name, String value) {
        return part(
                "Content-Disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
    }

    /** A part with the given header lines (each ending in CRLF) and content. */
    public MultipartBody part(String headers, byte[] content) {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        part.writeBytes(content);
        part.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        parts.add(part.toByteArray());
        return this;
    }

    /** The body with its closing delimiter. */
    public byte[] bytes() {
        ByteArrayOutputStream body = unterminatedStream();
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return body.toByteArray();
    }

    /** The body without its closing delimiter: the parser reaches the end of the request inside the form. */
    public byte[] unterminated() {
        return unterminatedStream().toByteArray();
    }

    private ByteArrayOutputStream unterminatedStream() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach(body::writeBytes);
        return body;
    }
}
