package io.pagestream.ingest.render.isolated;

import io.pagestream.ingest.render.EncodedPage;
import io.pagestream.ingest.render.SourceGeometry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A render process that speaks the protocol but renders nothing: every document it opens has {@code pages} pages, and
 * each page takes {@code millisPerPage} (-1: forever, the stand-in for a decoder looping on an exhausted stream). Started
 * by tests in place of {@link RenderProcess}, from the test classes.
 *
 * <p>Arguments: pages, millisPerPage.
 */
public final class StandInRenderProcess {
    public static void main(String[] args) throws IOException, InterruptedException {
        int pages = Integer.parseInt(args[0]);
        long millisPerPage = Long.parseLong(args[1]);
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(System.out));
        out.writeByte(Frames.READY);
        out.flush();
        for (int tag; (tag = in.read()) >= 0; ) {
            switch (tag) {
                case Frames.OPEN -> {
                    Frames.readOpen(in);
                    out.writeByte(Frames.OPENED);
                    out.writeInt(pages);
                    out.flush();
                }
                case Frames.PAGE -> {
                    in.readInt();
                    Thread.sleep(millisPerPage < 0 ? Long.MAX_VALUE : millisPerPage);
                    Frames.writeImage(
                            out, new EncodedPage(new byte[] {1}, "image/png", 1, 1, new SourceGeometry(1, 1, 1)));
                }
                case Frames.CLOSE -> {}
                default -> throw new IOException("unknown request " + tag);
            }
        }
    }
}
