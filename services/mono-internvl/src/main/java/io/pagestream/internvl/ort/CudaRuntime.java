package io.pagestream.internvl.ort;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The two CUDA runtime calls a device-to-device copy needs, from the {@code libcudart.so.12} that ORT's CUDA provider
 * itself loads. ORT's C API has no copy between two regions of one device buffer that works with the classic CUDA
 * provider ({@code CopyTensors} needs a plugin provider's data transfer), and the engine copies a shared prefix's
 * KV rows between slots.
 *
 * <p>Not verified on a GPU: no machine with CUDA 12 was available when this was written (see docs/engine.md).
 */
final class CudaRuntime {
    private static final int DEVICE_TO_DEVICE = 3;
    private static CudaRuntime instance;

    private final MethodHandle memcpy2d;
    private final MethodHandle synchronize;
    private final MethodHandle errorString;

    private CudaRuntime(SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        memcpy2d = linker.downcallHandle(
                find(library, "cudaMemcpy2D"),
                FunctionDescriptor.of(
                        JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT));
        synchronize = linker.downcallHandle(find(library, "cudaDeviceSynchronize"), FunctionDescriptor.of(JAVA_INT));
        errorString =
                linker.downcallHandle(find(library, "cudaGetErrorString"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private static MemorySegment find(SymbolLookup library, String name) {
        return library.find(name).orElseThrow(() -> new IllegalStateException("libcudart has no " + name));
    }

    static synchronized CudaRuntime get() {
        if (instance == null) {
            try {
                instance = new CudaRuntime(SymbolLookup.libraryLookup("libcudart.so.12", Arena.global()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "cannot load libcudart.so.12 (CUDA 12 runtime) for device copies: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** {@code rows} rows of {@code width} bytes, {@code pitch} bytes apart, within device memory; waits for it. */
    void copyRows(long source, long target, long width, long pitch, long rows) {
        try {
            check(
                    (int) memcpy2d.invokeExact(
                            MemorySegment.ofAddress(target),
                            pitch,
                            MemorySegment.ofAddress(source),
                            pitch,
                            width,
                            rows,
                            DEVICE_TO_DEVICE),
                    "cudaMemcpy2D");
            check((int) synchronize.invokeExact(), "cudaDeviceSynchronize");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void check(int error, String call) throws Throwable {
        if (error != 0) {
            MemorySegment text = (MemorySegment) errorString.invokeExact(error);
            throw new IllegalStateException(
                    call + " failed: " + text.reinterpret(Long.MAX_VALUE).getString(0) + " (cudaError " + error + ")");
        }
    }
}
