package io.pagestream.internvl.ort;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ai.onnxruntime.OrtException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * An {@code OrtValue} tensor over memory someone else owns (a {@link DeviceBuffer} or a host segment from an
 * {@link Arena}): ORT reads and writes it in place and never frees it. {@link #close} releases the {@code OrtValue}
 * only. The tensor remembers whether its memory is still alive, and {@link IoBinding} checks that before each run.
 */
public final class NativeTensor implements AutoCloseable {
    private final OrtApi api;
    private final MemorySegment value;
    private final Device device;
    private final ElementType type;
    private final long[] shape;
    private final long bytes;
    private final BooleanSupplier memoryAlive;
    private final boolean javaHost;
    private boolean closed;

    private NativeTensor(
            OrtApi api,
            MemorySegment value,
            Device device,
            ElementType type,
            long[] shape,
            long bytes,
            BooleanSupplier memoryAlive,
            boolean javaHost) {
        this.api = api;
        this.value = value;
        this.device = device;
        this.type = type;
        this.shape = shape;
        this.bytes = bytes;
        this.memoryAlive = memoryAlive;
        this.javaHost = javaHost;
    }

    /** A tensor over the start of a host segment, which must hold at least the tensor's bytes. */
    public static NativeTensor host(Device host, MemorySegment segment, ElementType type, long... shape)
            throws OrtException {
        if (!host.isHost()) {
            throw new IllegalArgumentException("a Java segment is host memory, not memory of " + host);
        }
        long length = byteSize(type, shape);
        if (length > segment.byteSize()) {
            throw new IllegalArgumentException(
                    "a tensor of " + length + " bytes does not fit a segment of " + segment.byteSize() + " bytes");
        }
        if (segment.isReadOnly() || !segment.isNative()) {
            throw new IllegalArgumentException("ORT needs writable native memory, not " + segment);
        }
        return over(
                host,
                segment.address(),
                length,
                type,
                shape,
                () -> segment.scope().isAlive(),
                true);
    }

    static NativeTensor over(
            Device device,
            long address,
            long length,
            ElementType type,
            long[] shape,
            BooleanSupplier memoryAlive,
            boolean javaHost)
            throws OrtException {
        OrtApi api = OrtApi.get();
        long[] dims = shape.clone();
        MemorySegment info = device.info();
        MemorySegment data = MemorySegment.ofAddress(address);
        MemorySegment value;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeShape = arena.allocateFrom(JAVA_LONG, dims);
            value = api.create(out -> (long) api.createTensorWithDataAsOrtValue.invokeExact(
                    info, data, length, nativeShape, (long) dims.length, type.code, out));
        }
        return new NativeTensor(api, value, device, type, dims, length, memoryAlive, javaHost);
    }

    /** Bytes of a dense tensor of that shape; every dimension must be ≥ 0. */
    static long byteSize(ElementType type, long... shape) {
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, dim);
        }
        return Math.multiplyExact(elements, type.bytes());
    }

    public ElementType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    long dim(int axis) {
        return shape[axis];
    }

    int rank() {
        return shape.length;
    }

    public long bytes() {
        return bytes;
    }

    public Device device() {
        return device;
    }

    /**
     * Whether the tensor is over Java's host memory rather than a session allocator's: the values that cross
     * between host and device when the session computes on a GPU (and would, on the CPU provider).
     */
    public boolean staged() {
        return javaHost;
    }

    /** Whether the tensor and the memory under it may still be handed to ORT. */
    boolean usable() {
        return !closed && memoryAlive.getAsBoolean() && device.isOpen();
    }

    MemorySegment value() {
        if (!usable()) {
            throw new IllegalStateException(closed ? "tensor closed" : "the memory under this tensor was released");
        }
        return value;
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape) + " on " + device;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            api.invokeVoid(api.releaseValue, value);
        }
    }
}
