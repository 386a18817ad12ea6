package io.pagestream.ingest.publish;

import io.pagestream.ingest.render.EncodedPage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A document's encoded pages on disk, written as they are rendered and read back one by one while publishing. So the
 * Kafka transaction opens only once every page rendered (a page that fails to render never opens one), lasts as long
 * as the sends take rather than the rendering, and the heap holds one page at a time. Deleted on close.
 */
public final class PageSpool implements AutoCloseable {
    private final Path file;
    private DataOutputStream out;
    private int pages;
    private long bytes;

    public PageSpool(Path directory) throws IOException {
        Files.createDirectories(directory);
        this.file = Files.createTempFile(directory, "pages-", ".spool");
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024));
    }

    public void add(EncodedPage page) throws IOException {
        page.writeTo(out);
        pages++;
        bytes += page.bytes().length;
    }

    public int pages() {
        return pages;
    }

    /** Total encoded image bytes. */
    public long bytes() {
        return bytes;
    }

    /** Reads the pages back in order; call once, after the last {@link #add}. */
    public Reader reader() throws IOException {
        out.close();
        out = null;
        return new Reader(new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 256 * 1024)));
    }

    public final class Reader implements AutoCloseable {
        private final DataInputStream in;

        private Reader(DataInputStream in) {
            this.in = in;
        }

        public EncodedPage next() {
            try {
                // The spool holds only what this instance wrote: no page is larger than an int says.
                return EncodedPage.readFrom(in, Integer.MAX_VALUE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // deleted below anyway
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the work directory is cleaned at start-up
        }
    }
}
