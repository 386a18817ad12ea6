package io.pagestream.internvl.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Zeroed, 64-byte aligned off-heap buffers for ORT to read and write in place, released together by {@link #close}.
 *
 * <p>On JDK 22+ they come from a shared {@code java.lang.foreign.Arena}, so closing returns the memory to the system
 * at once and large caches are not limited by {@code -XX:MaxDirectMemorySize}. The build targets Java 21, where that
 * API is still a preview, hence the reflection. On 21 itself the fallback is {@link ByteBuffer#allocateDirect}, whose
 * memory the JDK releases at the garbage collection after {@link #close} drops the last reference.
 */
public final class NativeMemory implements AutoCloseable {
    private static final long ALIGNMENT = 64;

    private final Object arena;
    private final Method allocate;
    private final Method asByteBuffer;
    private final Method closeArena;

    private NativeMemory(Object arena, Method allocate, Method asByteBuffer, Method closeArena) {
        this.arena = arena;
        this.allocate = allocate;
        this.asByteBuffer = asByteBuffer;
        this.closeArena = closeArena;
    }

    public static NativeMemory open() {
        try {
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Object arena = arenaType.getMethod("ofShared").invoke(null);
            return new NativeMemory(arena, arenaType.getMethod("allocate", long.class, long.class),
                    segmentType.getMethod("asByteBuffer"), arenaType.getMethod("close"));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new NativeMemory(null, null, null, null);
        }
    }

    /** Whether {@link #close} frees the memory itself rather than leaving it to the garbage collector. */
    public boolean freesOnClose() {
        return arena != null;
    }

    /** A zeroed buffer in native byte order, valid until {@link #close}. */
    public ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(bytes + " bytes do not fit one buffer (2 GiB at most)");
        }
        if (arena == null) {
            return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        }
        try {
            Object segment = allocate.invoke(arena, bytes, ALIGNMENT);
            return ((ByteBuffer) asByteBuffer.invoke(segment)).order(ByteOrder.nativeOrder());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof OutOfMemoryError oom) {
                throw oom;
            }
            throw new IllegalStateException("cannot allocate " + bytes + " bytes off-heap: " + e.getCause(),
                    e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (arena == null) {
            return;
        }
        try {
            closeArena.invoke(arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot release off-heap memory", e);
        }
    }
}
