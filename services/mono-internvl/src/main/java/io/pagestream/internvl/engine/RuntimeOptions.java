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
 * @param prepackWeights  let kernels repack constant weights at load: faster fp32 MatMuls, but the packed copy
 *                        lives on the heap beside the memory-mapped original, doubling weight memory; off by default
 *                        so that a 2B fp32 model fits on a 24 GB machine
 */
public record RuntimeOptions(ExecutionProvider provider, int cudaDevice, int intraOpThreads, int interOpThreads,
        boolean cpuArena, OptLevel optimization, boolean prepackWeights) {

    public static final RuntimeOptions DEFAULT =
            new RuntimeOptions(ExecutionProvider.CPU, 0, 0, 0, true, OptLevel.ALL_OPT, false);

    public RuntimeOptions {
        if (provider == null || optimization == null) {
            throw new IllegalArgumentException("provider and optimization are required");
        }
        if (cudaDevice < 0 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("device and thread counts must not be negative");
        }
    }

    public RuntimeOptions withProvider(ExecutionProvider provider) {
        return new RuntimeOptions(provider, cudaDevice, intraOpThreads, interOpThreads, cpuArena, optimization,
                prepackWeights);
    }

    public RuntimeOptions withThreads(int intraOp, int interOp) {
        return new RuntimeOptions(provider, cudaDevice, intraOp, interOp, cpuArena, optimization, prepackWeights);
    }

    public RuntimeOptions withCpuArena(boolean arena) {
        return new RuntimeOptions(provider, cudaDevice, intraOpThreads, interOpThreads, arena, optimization,
                prepackWeights);
    }

    public RuntimeOptions withOptimization(OptLevel level) {
        return new RuntimeOptions(provider, cudaDevice, intraOpThreads, interOpThreads, cpuArena, level,
                prepackWeights);
    }

    public RuntimeOptions withPrepackWeights(boolean prepack) {
        return new RuntimeOptions(provider, cudaDevice, intraOpThreads, interOpThreads, cpuArena, optimization,
                prepack);
    }
}
