package io.pagestream.internvl.ort;

import ai.onnxruntime.OrtException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where memory lives, as ORT's {@code OrtMemoryInfo}: the host, or a CUDA device. Tensors made over memory carry it so
 * that ORT knows whether a bound value needs a copy before a kernel of the session's provider can read it.
 */
public final class Device implements AutoCloseable {
    private static final int ARENA_ALLOCATOR = 1;
    private static final int MEM_TYPE_DEFAULT = 0;

    private final OrtApi api;
    private final MemorySegment info;
    private final String name;
    private final boolean host;
    private boolean closed;

    private Device(OrtApi api, MemorySegment info, String name, boolean host) {
        this.api = api;
        this.info = info;
        this.name = name;
        this.host = host;
    }

    /** Host memory, which the CPU provider computes in and every provider can read bound inputs from. */
    public static Device cpu() throws OrtException {
        OrtApi api = OrtApi.get();
        MemorySegment info =
                api.create(out -> (long) api.createCpuMemoryInfo.invokeExact(ARENA_ALLOCATOR, MEM_TYPE_DEFAULT, out));
        return new Device(api, info, "cpu", true);
    }

    /** Memory of CUDA device {@code id}; ORT accepts it even where CUDA is absent, allocating on it then fails. */
    public static Device cuda(int id) throws OrtException {
        if (id < 0) {
            throw new IllegalArgumentException("CUDA device id " + id + " is negative");
        }
        OrtApi api = OrtApi.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cudaName = arena.allocateFrom("Cuda");
            MemorySegment info = api.create(out ->
                    (long) api.createMemoryInfo.invokeExact(cudaName, ARENA_ALLOCATOR, id, MEM_TYPE_DEFAULT, out));
            return new Device(api, info, "cuda:" + id, false);
        }
    }

    /** Whether Java may read and write this memory directly (only host memory). */
    public boolean isHost() {
        return host;
    }

    MemorySegment info() {
        if (closed) {
            throw new IllegalStateException("device " + name + " is closed");
        }
        return info;
    }

    boolean isOpen() {
        return !closed;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            api.invokeVoid(api.releaseMemoryInfo, info);
        }
    }
}
