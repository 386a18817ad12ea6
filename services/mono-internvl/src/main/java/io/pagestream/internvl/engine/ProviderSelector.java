package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * Turns {@link RuntimeOptions} into ORT session options, and decides once per engine whether CUDA can be used.
 * ORT lists CUDA among its providers even where it cannot load it (the GPU jar on a machine without CUDA), so the
 * only reliable probe is to add the provider and see whether that fails.
 */
public final class ProviderSelector {
    private static final System.Logger LOG = System.getLogger(ProviderSelector.class.getName());

    private ProviderSelector() {}

    /**
     * The provider to use: CUDA when asked for and loadable, else the CPU, saying why in one log line. Callers that size
     * memory before opening an engine ask here, then open the engine with the answer, so the probe runs once.
     */
    public static ExecutionProvider select(RuntimeOptions options) {
        if (options.provider() == ExecutionProvider.CPU) {
            return ExecutionProvider.CPU;
        }
        try (SessionOptions probe = new SessionOptions()) {
            probe.addCUDA(options.cudaDevice());
            return ExecutionProvider.CUDA;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "CUDA execution provider unavailable (" + firstLine(e) + "); falling back to the CPU");
            return ExecutionProvider.CPU;
        }
    }

    static SessionOptions sessionOptions(RuntimeOptions options, ExecutionProvider provider, boolean prepack)
            throws OrtException {
        SessionOptions session = new SessionOptions();
        try {
            if (options.intraOpThreads() > 0) {
                session.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (options.interOpThreads() > 0) {
                session.setInterOpNumThreads(options.interOpThreads());
            }
            session.setCPUArenaAllocator(options.cpuArena());
            session.setOptimizationLevel(options.optimization());
            if (!prepack) {
                session.addConfigEntry("session.disable_prepacking", "1");
            }
            if (options.profilePrefix() != null) {
                session.enableProfiling(options.profilePrefix());
            }
            if (provider == ExecutionProvider.CUDA) {
                session.addCUDA(options.cudaDevice());
            }
            return session;
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
