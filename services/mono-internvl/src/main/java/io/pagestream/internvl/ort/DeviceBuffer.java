package io.pagestream.internvl.ort;

import java.lang.foreign.MemorySegment;

/**
 * One block of device memory from a {@link DeviceAllocator}, freed by {@link #close}. Tensors are views into it
 * ({@link #tensor}); they check the block is still open each time they are bound or run, so a freed block is never
 * handed to ORT.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final DeviceAllocator allocator;
    private final long address;
    private final long bytes;
    private volatile boolean closed;

    DeviceBuffer(DeviceAllocator allocator, long address, long bytes) {
        this.allocator = allocator;
        this.address = address;
        this.bytes = bytes;
    }

    public long bytes() {
        return bytes;
    }

    public Device device() {
        return allocator.device();
    }

    long address() {
        return address;
    }

    boolean isOpen() {
        return !closed;
    }

    /** The block as a Java segment: only for host memory, which Java may touch. */
    public MemorySegment host() {
        if (!device().isHost()) {
            throw new IllegalStateException("memory on " + device() + " cannot be read from Java");
        }
        if (closed) {
            throw new IllegalStateException("buffer closed");
        }
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    /** A tensor of {@code shape} over the bytes from {@code offset}, which must lie inside this block. */
    public NativeTensor tensor(long offset, ElementType type, long... shape) throws ai.onnxruntime.OrtException {
        if (closed) {
            throw new IllegalStateException("buffer closed");
        }
        long length = NativeTensor.byteSize(type, shape);
        if (offset < 0 || offset > bytes - length) {
            throw new IllegalArgumentException("a tensor of " + length + " bytes at offset " + offset
                    + " does not fit a buffer of " + bytes + " bytes");
        }
        return NativeTensor.over(device(), address + offset, length, type, shape, this::isOpen, false);
    }

    /**
     * Copies {@code rows} rows of {@code width} bytes, each {@code pitch} bytes after the previous one, from offset
     * {@code source} to offset {@code target} of this block, on its device. The two regions must be disjoint.
     */
    public void copyRows(long source, long target, long width, long pitch, int rows) {
        if (closed) {
            throw new IllegalStateException("buffer closed");
        }
        if (width < 0 || rows < 0 || pitch < width) {
            throw new IllegalArgumentException("rows of " + width + " bytes cannot be " + pitch + " bytes apart");
        }
        if (rows == 0 || width == 0) {
            return;
        }
        long span = (rows - 1) * pitch + width;
        if (source < 0 || target < 0 || source > bytes - span || target > bytes - span) {
            throw new IllegalArgumentException("copying " + rows + " rows of " + width + " bytes from " + source
                    + " to " + target + " leaves a buffer of " + bytes + " bytes");
        }
        if (Math.abs(source - target) < span) {
            throw new IllegalArgumentException("the source and target regions overlap");
        }
        if (device().isHost()) {
            MemorySegment block = host();
            for (int row = 0; row < rows; row++) {
                MemorySegment.copy(block, source + row * pitch, block, target + row * pitch, width);
            }
        } else {
            CudaRuntime.get().copyRows(address + source, address + target, width, pitch, rows);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            allocator.free(this);
        }
    }
}
