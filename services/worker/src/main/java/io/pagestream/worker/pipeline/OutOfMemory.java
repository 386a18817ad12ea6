package io.pagestream.worker.pipeline;

import java.util.Locale;

/**
 * Recognises an out-of-memory failure anywhere in a cause chain: the JVM's own, or ONNX Runtime's, which arrives as
 * an {@code OrtException} whose message names the failed allocation (CPU arena, CUDA's BFC arena or cudaMalloc).
 */
final class OutOfMemory {
    private static final String[] MARKERS = {
        "out of memory",
        "failed to allocate",
        "bfcarena",
        "cudaerrormemoryallocation",
        "cuda_error_out_of_memory",
        "cudnn_status_alloc_failed",
        "cublas_status_alloc_failed"
    };

    private OutOfMemory() {}

    static boolean is(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            for (String marker : MARKERS) {
                if (message.contains(marker)) {
                    return true;
                }
            }
        }
        return false;
    }
}
