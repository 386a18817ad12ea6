package io.pagestream.cli.model;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.internvl.bench.GpuCostModel;
import io.pagestream.internvl.bench.GpuCostTable;
import io.pagestream.internvl.bench.GpuSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./pagestream model cost}: the GPU cost model's expectations, from shapes and datasheet figures alone. */
@Command(
        name = "cost",
        mixinStandardHelpOptions = true,
        description = "Print the GPU cost model: decode ms/step (bandwidth bound), host traffic per step, prefill per "
                + "tile and the pages/s a worker must feed. Arithmetic on the model's shapes and a GPU's datasheet "
                + "figures; nothing is measured.")
final class CostCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--gpu",
            defaultValue = "h100",
            description = "h100, h200, a100 or l4 (datasheet figures). Default: ${DEFAULT-VALUE}.")
    String gpu;

    @Option(
            names = "--dtype",
            defaultValue = "fp16",
            description =
                    "Weights on the device: fp16, bf16 or int4 (block 32, fp16 scales). Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(
            names = "--config",
            defaultValue = "mono-internvl-2b",
            description = "A config.json (or its directory), or a bundled config: " + ModelConfigs.BUNDLED
                    + ". Default: ${DEFAULT-VALUE}.")
    String config;

    @Option(names = "--batches", split = ",", defaultValue = "1,16,64", description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> batches;

    @Option(
            names = "--contexts",
            split = ",",
            defaultValue = "1024,4096",
            description = "KV positions per row. Default: ${DEFAULT-VALUE}.")
    List<Integer> contexts;

    @Option(
            names = "--page-tiles",
            defaultValue = "13",
            description = "Tiles of the page for pages/s. Default: ${DEFAULT-VALUE}.")
    int pageTiles;

    @Option(
            names = "--answer-tokens",
            defaultValue = "1024",
            description = "OCR tokens per page. Default: ${DEFAULT-VALUE}.")
    int answerTokens;

    @Option(names = "--page-batches", split = ",", defaultValue = "16,64", description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> pageBatches;

    @Option(
            names = "--bandwidth-efficiency",
            defaultValue = "0.8",
            description = "Assumed share of peak memory bandwidth a decode step reaches. Default: ${DEFAULT-VALUE}.")
    double bandwidthEfficiency;

    @Option(
            names = "--compute-efficiency",
            defaultValue = "0.6",
            description = "Assumed share of peak FP16/BF16 FLOP/s a prefill reaches. Default: ${DEFAULT-VALUE}.")
    double computeEfficiency;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        GpuCostModel.Assumptions defaults = GpuCostModel.Assumptions.DEFAULT;
        GpuCostModel model = new GpuCostModel(
                ModelConfigs.resolve(config),
                GpuCostModel.Weights.of(dtype),
                GpuSpec.of(gpu),
                new GpuCostModel.Assumptions(
                        bandwidthEfficiency,
                        computeEfficiency,
                        defaults.hostLinkEfficiency(),
                        defaults.promptTextTokens()));
        GpuCostModel.Report report = model.report(batches, contexts, pageTiles, answerTokens, pageBatches);
        if (json) {
            out.println(JsonMapper.builder().build().writeValueAsString(report));
        } else {
            GpuCostTable.print(model, report, out);
        }
        out.flush();
        return 0;
    }
}
