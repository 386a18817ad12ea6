package io.pagestream.internvl.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Zeroed, 64-byte aligned off-heap memory for ORT to read and write in place, released together by {@link #close}.
 *
 * <p>It comes from a shared {@link Arena}, so closing returns the memory to the system at once and large caches are
 * not limited by {@code -XX:MaxDirectMemorySize}.
 */
public final class NativeMemory implements AutoCloseable {
    private static final long ALIGNMENT = 64;

    private final Arena arena = Arena.ofShared();

    private NativeMemory() {}

    public static NativeMemory open() {
        return new NativeMemory();
    }

    /** A zeroed segment, valid until {@link #close}. */
    public MemorySegment segment(long bytes) {
        return arena.allocate(bytes, ALIGNMENT);
    }

    /** A zeroed buffer in native byte order, valid until {@link #close}. */
    public ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(bytes + " bytes do not fit one buffer (2 GiB at most)");
        }
        return segment(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {
        arena.close();
    }
}
