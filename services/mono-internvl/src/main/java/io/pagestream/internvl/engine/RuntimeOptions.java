package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * ONNX Runtime session settings, shared by the vision, embedding and decoder sessions.
 *
 * @param provider        {@link ExecutionProvider#CPU} (default) or {@link ExecutionProvider#CUDA}
 * @param cudaDevice      the GPU ordinal when CUDA is used
 * @param intraOpThreads  threads inside one operator; 0 lets ORT pick (one per physical core)
 * @param interOpThreads  threads across independent operators; 0 lets ORT pick (the graphs are sequential, so 1 is
 *                        as good)
 * @param cpuArena        ORT's CPU arena allocator: faster reuse of activation buffers, but it keeps the peak
 *                        allocation for the life of the session
 * @param optimization    graph optimisation level; {@code ALL_OPT} by default
 * @param prepack         whether kernels may repack constant weights when the session loads; see {@link Prepack}
 * @param profilePrefix   ORT profiling: null (off, the default), or the path prefix of the chrome-trace JSON files ORT
 *                        writes when a session closes ({@code <prefix>_<yyyy-mm-dd_hh-mm-ss>.json}). The sessions of
 *                        one model share the prefix, and ORT's file name has a one-second resolution, so sessions
 *                        created within the same second write over each other's file; read every matching file and
 *                        expect some to be unreadable.
 */
public record RuntimeOptions(
        ExecutionProvider provider,
        int cudaDevice,
        int intraOpThreads,
        int interOpThreads,
        boolean cpuArena,
        OptLevel optimization,
        Prepack prepack,
        String profilePrefix) {

    public static final RuntimeOptions DEFAULT =
            new RuntimeOptions(ExecutionProvider.CPU, 0, 0, 0, true, OptLevel.ALL_OPT, Prepack.AUTO);

    /**
     * Weight pre-packing. A prepacked weight is a copy in the kernel's own layout, kept beside the memory-mapped
     * original: for float32 that doubles weight memory (a 2B fp32 model would need 23 GB) for a modest MatMul gain,
     * while 4-bit {@code MatMulNBits} without its packed copy dequantizes the whole weight on every call, many
     * times slower, and its packed copy is small.
     */
    public enum Prepack {
        /** On for quantised (int4) conversions, off for the others. */
        AUTO,
        ON,
        OFF
    }

    public RuntimeOptions {
        if (provider == null || optimization == null || prepack == null) {
            throw new IllegalArgumentException("provider, optimization and prepack are required");
        }
        if (cudaDevice < 0 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("device and thread counts must not be negative");
        }
    }

    /** Without profiling. */
    public RuntimeOptions(
            ExecutionProvider provider,
            int cudaDevice,
            int intraOpThreads,
            int interOpThreads,
            boolean cpuArena,
            OptLevel optimization,
            Prepack prepack) {
        this(provider, cudaDevice, intraOpThreads, interOpThreads, cpuArena, optimization, prepack, null);
    }

    public RuntimeOptions withProvider(ExecutionProvider provider) {
        return new RuntimeOptions(
                provider, cudaDevice, intraOpThreads, interOpThreads, cpuArena, optimization, prepack, profilePrefix);
    }

    public RuntimeOptions withThreads(int intraOp, int interOp) {
        return new RuntimeOptions(
                provider, cudaDevice, intraOp, interOp, cpuArena, optimization, prepack, profilePrefix);
    }

    public RuntimeOptions withPrepack(Prepack choice) {
        return new RuntimeOptions(
                provider, cudaDevice, intraOpThreads, interOpThreads, cpuArena, optimization, choice, profilePrefix);
    }

    /** ORT profiling into files starting with {@code prefix} (see the record's doc), or off with null. */
    public RuntimeOptions withProfiling(String prefix) {
        return new RuntimeOptions(
                provider, cudaDevice, intraOpThreads, interOpThreads, cpuArena, optimization, prepack, prefix);
    }
}
