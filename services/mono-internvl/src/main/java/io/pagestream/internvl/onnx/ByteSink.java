package io.pagestream.internvl.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Little-endian bytes appended to a file through a fixed buffer, so that a tensor of any size is written with
 * bounded memory. Counts what it wrote, letting the caller check a tensor against its declared length.
 */
public final class ByteSink {
    private static final int BUFFER_BYTES = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    ByteSink(FileChannel channel) {
        this.channel = channel;
    }

    public void put(byte value) {
        room(1);
        buffer.put(value);
    }

    public void putShort(short value) {
        room(2);
        buffer.putShort(value);
    }

    public void putFloat(float value) {
        room(4);
        buffer.putFloat(value);
    }

    /** Bytes written so far, including those still buffered. */
    public long written() {
        return written + buffer.position();
    }

    void flush() {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                written += channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.clear();
    }

    private void room(int bytes) {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }
}
