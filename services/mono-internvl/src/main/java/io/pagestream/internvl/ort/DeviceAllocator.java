package io.pagestream.internvl.ort;

import static java.lang.foreign.ValueLayout.ADDRESS;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's allocator for one {@link Device} ({@code CreateAllocator}): memory on the device the session's provider
 * computes on, from the same arena ORT itself uses there. Every block it hands out is a {@link DeviceBuffer} owned by
 * the caller; closing the allocator frees what is still open, so nothing outlives it.
 */
public final class DeviceAllocator implements AutoCloseable {
    private final OrtApi api;
    private final OrtSession session;
    private final MemorySegment allocator;
    private final Device device;
    private final List<DeviceBuffer> open = new ArrayList<>();
    private boolean closed;

    private DeviceAllocator(OrtApi api, OrtSession session, MemorySegment allocator, Device device) {
        this.api = api;
        this.session = session;
        this.allocator = allocator;
        this.device = device;
    }

    /**
     * @throws OrtException when the session has no allocator for that device (CUDA memory from a CPU session)
     */
    public static DeviceAllocator of(OrtSession session, Device device) throws OrtException {
        OrtApi api = OrtApi.get();
        MemorySegment sessionPointer = MemorySegment.ofAddress(OrtApi.JavaApiHandles.session(session));
        MemorySegment info = device.info();
        MemorySegment allocator = api.create(out -> (long) api.createAllocator.invokeExact(sessionPointer, info, out));
        return new DeviceAllocator(api, session, allocator, device);
    }

    public Device device() {
        return device;
    }

    /** A block of {@code bytes} on the device; on the host it is zeroed, on a GPU its content is undefined. */
    public synchronized DeviceBuffer allocate(long bytes) throws OrtException {
        if (closed) {
            throw new IllegalStateException("allocator closed");
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        if (OrtApi.JavaApiHandles.closed(session)) {
            throw new IllegalStateException("the ORT session of this allocator is closed");
        }
        MemorySegment address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            api.check((long) api.allocatorAlloc.invokeExact(allocator, bytes, out));
            address = out.get(ADDRESS, 0);
        } catch (OrtException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (address.equals(MemorySegment.NULL)) {
            throw new OrtException("ORT allocated no memory for " + bytes + " bytes on " + device);
        }
        DeviceBuffer buffer = new DeviceBuffer(this, address.address(), bytes);
        if (device.isHost()) {
            buffer.host().fill((byte) 0);
        }
        open.add(buffer);
        return buffer;
    }

    synchronized void free(DeviceBuffer buffer) {
        if (!open.remove(buffer) || closed) {
            return;
        }
        try {
            api.check((long) api.allocatorFree.invokeExact(allocator, MemorySegment.ofAddress(buffer.address())));
        } catch (OrtException e) {
            throw new IllegalStateException("ORT could not free " + buffer.bytes() + " bytes: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes handed out and not yet freed. */
    public synchronized long allocatedBytes() {
        return open.stream().mapToLong(DeviceBuffer::bytes).sum();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (DeviceBuffer buffer : List.copyOf(open)) {
            buffer.close();
        }
        closed = true;
        api.invokeVoid(api.releaseAllocator, allocator);
    }
}
