package io.pagestream.internvl.engine;

/** Where ONNX Runtime runs the graphs. */
public enum ExecutionProvider {
    /** The default, and the fallback when CUDA is asked for but cannot be loaded. */
    CPU,
    /** Needs the {@code gpu} build ({@code onnxruntime_gpu}), CUDA 12 and cuDNN 9 on the host, and fp16/bf16 graphs. */
    CUDA
}
