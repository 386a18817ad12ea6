package io.pagestream.cli.model;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.internvl.bench.BenchOptions;
import io.pagestream.internvl.bench.BenchResult;
import io.pagestream.internvl.bench.BenchTable;
import io.pagestream.internvl.bench.EngineBench;
import io.pagestream.internvl.bench.MachineBounds;
import io.pagestream.internvl.engine.RuntimeOptions;
import io.pagestream.internvl.onnx.TargetDtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The engine benchmark: each model and dtype against the machine's own bounds, measured in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark the generation engine (prefill, decode over batch sizes, prefix reuse, continuous "
                + "batching) against this machine's MatMul FLOP/s and memory bandwidth.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            arity = "1..*",
            description = "Checkpoint directories; each is converted to onnx-<dtype> inside it if needed.")
    List<Path> models;

    @Option(
            names = "--dtype",
            split = ",",
            defaultValue = "fp32",
            converter = ConvertCommand.DtypeConverter.class,
            description =
                    "Conversions to run, comma-separated (fp32, int4; fp16, bf16, int4_fp16 with CUDA). Default: ${DEFAULT-VALUE}.")
    List<TargetDtype> dtypes;

    @Option(names = "--fp32-residual", description = Conversions.RESIDUAL_HELP)
    boolean fp32Residual;

    @Option(names = "--int4-accuracy", defaultValue = "0", description = Conversions.ACCURACY_HELP)
    int int4Accuracy;

    @Option(
            names = "--steps",
            defaultValue = "16",
            description = "Decode steps per batch size. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batches", split = ",", defaultValue = "1,4,8,16", description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> batches;

    @Option(
            names = "--tiles",
            defaultValue = "1",
            description = "Tiles of the page image (1, or 3 and more). Default: ${DEFAULT-VALUE}.")
    int tiles;

    @Option(
            names = "--questions",
            defaultValue = "3",
            description = "Questions besides OCR on the page. Default: ${DEFAULT-VALUE}.")
    int questions;

    @Option(
            names = "--answer-tokens",
            defaultValue = "8",
            description = "Tokens per answer on the page. Default: ${DEFAULT-VALUE}.")
    int answerTokens;

    @Option(
            names = "--cb-slots",
            defaultValue = "4",
            description = "Slots for the continuous batching comparison. Default: ${DEFAULT-VALUE}.")
    int cbSlots;

    @Option(
            names = "--cb-requests",
            defaultValue = "12",
            description = "Requests in that comparison. Default: ${DEFAULT-VALUE}.")
    int cbRequests;

    @Option(names = "--threads", defaultValue = "0", description = "ORT intra-op threads (0: one per processor).")
    int threads;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "Runs of each on/off comparison, fastest kept. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(
            names = "--prepack",
            defaultValue = "AUTO",
            description =
                    "Weight pre-packing: ${COMPLETION-CANDIDATES} (AUTO: on for int4 only). Default: ${DEFAULT-VALUE}.")
    RuntimeOptions.Prepack prepack;

    @Option(names = "--json", description = "Print the results as one JSON object instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchOptions options = new BenchOptions(
                steps, batches, tiles, questions, answerTokens, cbSlots, cbRequests, threads, repeats, prepack);
        List<Path> dirs = new ArrayList<>();
        for (Path model : models) {
            for (TargetDtype dtype : dtypes) {
                dirs.add(Conversions.ensure(model, null, Conversions.options(dtype, int4Accuracy, fp32Residual), err));
            }
        }
        MachineBounds bounds = MachineBounds.measure(
                options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors());
        err.printf("machine: MatMul %.1f GFLOP/s, read %.2f GB/s%n", bounds.matmulGflops(), bounds.readGbs());
        List<BenchResult> results = new ArrayList<>();
        int next = 0;
        for (Path model : models) {
            for (TargetDtype ignored : dtypes) {
                results.add(
                        EngineBench.run(model.getFileName().toString(), model, dirs.get(next++), options, bounds, err));
            }
        }
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("machine", bounds);
            all.put("options", options);
            all.put("results", results);
            out.println(JsonMapper.builder()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build()
                    .writeValueAsString(all));
        } else {
            BenchTable.print(bounds, results, out);
        }
        out.flush();
        return 0;
    }
}
