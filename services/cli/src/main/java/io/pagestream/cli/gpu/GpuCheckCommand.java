package io.pagestream.cli.gpu;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.internvl.bench.GpuSpec;
import io.pagestream.internvl.onnx.TargetDtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pagestream gpu-check}: whether this machine runs the model on its GPU as it should, with figures. Exit 0 when
 * every check passed, 1 when one failed, 2 when the machine lacks a GPU, CUDA 12, cuDNN 9 or the GPU build (one line
 * saying which).
 */
@Command(
        name = "gpu-check",
        mixinStandardHelpOptions = true,
        description = {
            "Check the GPU path: CUDA really used, no KV cache copies between host and device, greedy "
                    + "tokens and log-probs against a CPU fp32 run, decode ms/step and prefill ms/tile against the GPU "
                    + "cost model, pages/s for a 13-tile page with a 1024-token OCR.",
            "Exit 0: all checks passed; 1: a check failed; 2: no NVIDIA GPU, no CUDA 12, no cuDNN 9, or a command "
                    + "line built without -Pgpu."
        })
public final class GpuCheckCommand implements Callable<Integer> {
    static final int UNAVAILABLE = 2;

    private final GpuPreflight.Probes probes;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--model",
            description = "A checkpoint directory. Default: a random checkpoint of the real 2B "
                    + "shapes, written once under --work.")
    Path model;

    @Option(
            names = "--dtype",
            defaultValue = "bf16",
            description = "fp16 or bf16 (the real model needs bf16: its fp16 "
                    + "activations overflow). Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Option(
            names = "--work",
            defaultValue = "${sys:java.io.tmpdir}/pagestream-gpu-check",
            description = "Random checkpoint, conversions and ORT profiles. Default: ${DEFAULT-VALUE}.")
    Path work;

    @Option(
            names = "--gpu",
            description = "Datasheet figures for the expectations: h100, h200, a100, l4. Default: "
                    + "from nvidia-smi's GPU name, else h100.")
    String gpu;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,4,16,64",
            description = "Decode batch sizes. Default: " + "${DEFAULT-VALUE}.")
    List<Integer> batches;

    @Option(
            names = "--steps",
            defaultValue = "16",
            description = "Decode steps timed per batch. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(
            names = "--max-logprob-delta",
            description = "Largest |Δ logprob| that passes. Default: 0.1 (fp16), " + "0.3 (bf16).")
    Double maxLogprobDelta;

    @Option(
            names = "--min-agreement",
            defaultValue = "0.9",
            description = "Share of greedy tokens that must agree " + "with the CPU. Default: ${DEFAULT-VALUE}.")
    double minAgreement;

    @Option(
            names = "--max-slowdown",
            defaultValue = "2.0",
            description = "Measured ÷ expected time above which a " + "timing check fails. Default: ${DEFAULT-VALUE}.")
    double maxSlowdown;

    @Option(
            names = "--config",
            defaultValue = "mono-internvl-2b",
            hidden = true,
            description = "Shapes of the random checkpoint (tests use tiny).")
    String config;

    @Option(names = "--page-tiles", defaultValue = "13", hidden = true)
    int pageTiles;

    @Option(names = "--context-tiles", defaultValue = "4", hidden = true)
    int contextTiles;

    @Option(names = "--page-batches", split = ",", defaultValue = "16,64", hidden = true)
    List<Integer> pageBatches;

    @Option(names = "--agreement-tokens", defaultValue = "32", hidden = true)
    int agreementTokens;

    @Option(
            names = "--cpu-smoke",
            hidden = true,
            description = "Skip the preflight and run everything on the CPU "
                    + "(fp16 for the half-precision run): exercises the code without a GPU; its figures mean nothing.")
    boolean cpuSmoke;

    public GpuCheckCommand() {
        this(GpuPreflight.SYSTEM);
    }

    GpuCheckCommand(GpuPreflight.Probes probes) {
        this.probes = probes;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TargetDtype target =
                switch (dtype.toLowerCase(Locale.ROOT)) {
                    case "fp16" -> TargetDtype.FP16;
                    case "bf16" -> TargetDtype.BF16;
                    default ->
                        throw new picocli.CommandLine.ParameterException(
                                spec.commandLine(), "--dtype must be fp16 or bf16, not " + dtype);
                };
        GpuPreflight.Result preflight = cpuSmoke ? null : GpuPreflight.check(probes);
        if (preflight != null && !preflight.ok()) {
            if (json) {
                Map<String, Object> unavailable = new LinkedHashMap<>();
                unavailable.put("verdict", "UNAVAILABLE");
                unavailable.put("missing", preflight.missing().name());
                unavailable.put("message", preflight.message());
                out.println(JsonMapper.builder().build().writeValueAsString(unavailable));
                out.flush();
            } else {
                err.println("gpu-check: " + preflight.message());
                err.flush();
            }
            return UNAVAILABLE;
        }
        if (preflight != null) {
            err.println("gpu-check: " + preflight.message());
        }
        GpuSpec spec = gpu != null ? GpuSpec.of(gpu) : guess(preflight);
        double delta = maxLogprobDelta != null ? maxLogprobDelta : target == TargetDtype.BF16 ? 0.3 : 0.1;
        GpuCheckRun.Settings settings = new GpuCheckRun.Settings(
                model,
                work,
                config,
                target,
                spec,
                batches,
                steps,
                contextTiles,
                pageTiles,
                1024,
                pageBatches,
                agreementTokens,
                minAgreement,
                delta,
                maxSlowdown,
                Runtime.getRuntime().availableProcessors(),
                cpuSmoke);
        GpuCheckReport report = new GpuCheckRun(settings, err).run();
        if (json) {
            out.println(JsonMapper.builder().build().writeValueAsString(report));
        } else {
            report.print(out);
        }
        out.flush();
        return report.passed() ? 0 : 1;
    }

    /** The datasheet whose name nvidia-smi reports, else the H100's. */
    static GpuSpec guess(GpuPreflight.Result preflight) {
        String name =
                preflight == null || preflight.smi() == null || preflight.smi().gpuName() == null
                        ? ""
                        : preflight.smi().gpuName().toLowerCase(Locale.ROOT);
        for (GpuSpec spec : GpuSpec.ALL) {
            if (java.util.regex.Pattern.compile("\\b" + spec.key() + "\\b")
                    .matcher(name)
                    .find()) {
                return spec;
            }
        }
        return GpuSpec.H100;
    }
}
