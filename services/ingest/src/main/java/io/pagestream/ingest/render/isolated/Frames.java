package io.pagestream.ingest.render.isolated;

import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.render.EncodedPage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The conversation between ingest and a {@link RenderProcess}, over the child's stdin and stdout: one tag byte per
 * frame, then its fields in {@link DataOutputStream}'s binary encoding (numbers big-endian, strings as modified UTF-8
 * with a 2-byte length, page bytes with a 4-byte length). The child answers each request with one frame, in order:
 * <pre>
 * child starts         → READY
 * OPEN file format limits → OPENED pageCount | REFUSED reason message
 * PAGE index           → IMAGE mediaType width height widthPt heightPt scale bytes | REFUSED reason message
 * CLOSE                → (no answer; the child is ready for the next OPEN)
 * </pre>
 * A child that dies answers nothing more: the parent reads the end of the stream and asks the process why.
 */
final class Frames {
    static final byte READY = 'R';
    static final byte OPEN = 'O';
    static final byte PAGE = 'P';
    static final byte CLOSE = 'C';
    static final byte OPENED = 'K';
    static final byte IMAGE = 'I';
    static final byte REFUSED = 'X';

    /** Longest message sent back: writeUTF takes at most 64 KiB, and a client needs far less. */
    private static final int MAX_MESSAGE = 2000;

    private Frames() {}

    record Open(Path file, DocumentFormat format, Limits limits) {}

    static void writeOpen(DataOutputStream out, Open open) throws IOException {
        out.writeByte(OPEN);
        out.writeUTF(open.file().toString());
        out.writeUTF(open.format().name());
        Limits l = open.limits();
        out.writeLong(l.maxBytes());
        out.writeInt(l.maxPages());
        out.writeLong(l.maxPixelsPerPage());
        out.writeInt(l.maxQuestions());
        out.writeInt(l.maxQuestionLength());
        out.writeDouble(l.maxPageSidePoints());
        out.writeLong(l.maxDecodedBytesPerPage());
        out.flush();
    }

    /** The fields of an OPEN frame whose tag was read. */
    static Open readOpen(DataInputStream in) throws IOException {
        Path file = Path.of(in.readUTF());
        DocumentFormat format = DocumentFormat.valueOf(in.readUTF());
        Limits limits = new Limits(
                in.readLong(), in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readDouble(), in.readLong());
        return new Open(file, format, limits);
    }

    static void writePage(DataOutputStream out, int index) throws IOException {
        out.writeByte(PAGE);
        out.writeInt(index);
        out.flush();
    }

    static void writeImage(DataOutputStream out, EncodedPage page) throws IOException {
        out.writeByte(IMAGE);
        page.writeTo(out);
        out.flush();
    }

    /** The fields of an IMAGE frame whose tag was read; {@code maxBytes} bounds what the parent allocates. */
    static EncodedPage readImage(DataInputStream in, int maxBytes) throws IOException {
        try {
            return EncodedPage.readFrom(in, maxBytes);
        } catch (IOException e) {
            throw new IOException("the renderer sent " + e.getMessage(), e);
        }
    }

    static void writeRefused(DataOutputStream out, Reason reason, String message) throws IOException {
        out.writeByte(REFUSED);
        out.writeUTF(reason.name());
        String m = message == null ? "" : message;
        out.writeUTF(m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m);
        out.flush();
    }

    /** A REFUSED frame whose tag was read. */
    record Refused(Reason reason, String message) {}

    static Refused readRefused(DataInputStream in) throws IOException {
        return new Refused(Reason.valueOf(in.readUTF()), in.readUTF());
    }
}
