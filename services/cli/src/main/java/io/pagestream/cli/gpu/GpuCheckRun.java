package io.pagestream.cli.gpu;

import ai.onnxruntime.OrtException;
import io.pagestream.cli.model.ModelTools;
import io.pagestream.internvl.bench.EngineBench;
import io.pagestream.internvl.bench.GpuCostModel;
import io.pagestream.internvl.bench.GpuSpec;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.engine.EngineConfig;
import io.pagestream.internvl.engine.EngineStats;
import io.pagestream.internvl.engine.ExecutionProvider;
import io.pagestream.internvl.engine.GenerationEngine;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.OnnxModel;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.RepetitionGuard;
import io.pagestream.internvl.engine.RuntimeOptions;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.random.RandomCheckpoint;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.internvl.tokenizer.Tokenizer;
import io.pagestream.internvl.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The model work of {@code gpu-check}, once the preflight passed: a checkpoint (given, or random of the real shapes),
 * its conversions, a profiled short run on CUDA, greedy tokens against a CPU float32 run, decode and prefill timings,
 * each beside the {@link GpuCostModel}'s expectation. With {@link Settings#cpuSmoke()} everything runs on the CPU
 * (the half-precision run too, in fp16), so that the code path is exercised on a machine without a GPU; its figures
 * then say nothing about a GPU.
 */
final class GpuCheckRun {
    private static final int MARGIN = 8;
    private static final Set<String> HEAVY_OPS = Set.of(
            "MatMul",
            "MatMulNBits",
            "Gemm",
            "GroupQueryAttention",
            "SimplifiedLayerNormalization",
            "SkipSimplifiedLayerNormalization",
            "RotaryEmbedding",
            "Softmax");

    /**
     * @param model           a checkpoint directory, or null for a random one of {@code config}'s shapes
     * @param work            where the random checkpoint, its conversions and the profiles go
     * @param contextTiles    image tiles of the decode sweep's prompts (4: about 1,100 positions)
     * @param maxSlowdown     measured ÷ expected above which a timing check fails
     */
    record Settings(
            Path model,
            Path work,
            String config,
            TargetDtype dtype,
            GpuSpec gpu,
            List<Integer> batches,
            int steps,
            int contextTiles,
            int pageTiles,
            int answerTokens,
            List<Integer> pageBatches,
            int agreementTokens,
            double minAgreement,
            double maxLogprobDelta,
            double maxSlowdown,
            int cpuThreads,
            boolean cpuSmoke) {}

    private final Settings settings;
    private final PrintWriter log;
    private final List<GpuCheckReport.Check> checks = new ArrayList<>();
    private final List<GpuCheckReport.Figure> figures = new ArrayList<>();

    GpuCheckRun(Settings settings, PrintWriter log) {
        this.settings = settings;
        this.log = log;
    }

    GpuCheckReport run() throws IOException, OrtException {
        Path checkpoint = settings.model() != null ? settings.model() : randomCheckpoint();
        Path deviceOnnx = ModelTools.ensureConversion(checkpoint, settings.dtype(), log);
        Path fp32Onnx = ModelTools.ensureConversion(checkpoint, TargetDtype.FP32, log);
        ExecutionProvider wanted = settings.cpuSmoke() ? ExecutionProvider.CPU : ExecutionProvider.CUDA;
        RuntimeOptions device = RuntimeOptions.DEFAULT.withProvider(wanted);
        String dtype = settings.dtype().name().toLowerCase(Locale.ROOT);

        // 1. A short profiled run: which provider the engine really got, what ORT copied between devices.
        Path profileDir = Files.createDirectories(settings.work().resolve("profiles"));
        String prefix =
                profileDir.resolve("gpu-check-" + System.currentTimeMillis()).toString();
        ExecutionProvider provider;
        ModelConfig config;
        try (OnnxModel model = OnnxModel.open(checkpoint, deviceOnnx, device.withProfiling(prefix));
                Tokenizer tokenizer = Tokenizer.load(checkpoint)) {
            provider = model.info().provider();
            config = model.config();
            log("opened %s (%s) on %s; profiled run ...", checkpoint, dtype, provider);
            if (provider == ExecutionProvider.CUDA || settings.cpuSmoke()) {
                Workload work = new Workload(model, tokenizer);
                PageRequest page = work.page(1, 4, 8);
                try (GenerationEngine engine =
                        GenerationEngine.open(model, EngineConfig.DEFAULT.withSlots(4, work.longest(page) + MARGIN))) {
                    engine.generate(page);
                }
            }
        }
        boolean cuda = provider == ExecutionProvider.CUDA;
        check(
                "CUDA provider in use",
                settings.cpuSmoke() ? Verdict.SKIP : cuda ? Verdict.PASS : Verdict.FAIL,
                provider.name(),
                "CUDA",
                settings.cpuSmoke()
                        ? "CPU smoke run: the CPU provider was asked for"
                        : cuda
                                ? "ModelInfo.provider() after ProviderSelector's probe"
                                : "ORT could not add the CUDA provider, so the engine fell back to the CPU (see the log line "
                                        + "above); no silent fallback is accepted");
        if (!cuda && !settings.cpuSmoke()) {
            return report(checkpoint, dtype, provider);
        }
        LlmConfig llm = config.llm();
        GpuCostModel cost = new GpuCostModel(config, costWeights(), settings.gpu(), GpuCostModel.Assumptions.DEFAULT);
        profileChecks(prefix, llm);

        // 2. Greedy tokens, decode and prefill timings on the device run.
        List<GenerationResult> deviceTokens;
        double prefillMsPerTile;
        double largestStepMs = 0;
        int largestBatch = 0;
        int sweepCapacity = 0;
        List<double[]> pageSteps = new ArrayList<>();
        try (OnnxModel model = OnnxModel.open(checkpoint, deviceOnnx, device);
                Tokenizer tokenizer = Tokenizer.load(checkpoint)) {
            Workload work = new Workload(model, tokenizer);
            log("greedy tokens on %s ...", provider);
            deviceTokens = work.agreementRun(settings.agreementTokens());

            PageRequest widest = work.page(settings.contextTiles(), maxOf(settings.batches()), settings.steps() + 1);
            sweepCapacity = work.longest(widest) + MARGIN;
            try (GenerationEngine engine = GenerationEngine.open(
                    model, EngineConfig.DEFAULT.withSlots(maxOf(settings.batches()), sweepCapacity))) {
                work.warmUp(engine);
                for (int batch : settings.batches()) {
                    double[] step = work.decodeStep(engine, settings.contextTiles(), batch, settings.steps());
                    GpuCostModel.Decode expected = cost.decode(batch, (int) step[1]);
                    timing(
                            "decode ms/step, batch " + batch + " at " + (int) step[1] + " positions",
                            step[0],
                            expected.ms(),
                            "%.2f",
                            "bound " + expected.boundBy() + "; "
                                    + String.format("%.0f tokens/s", batch * 1000 / step[0]));
                    if (batch >= largestBatch) {
                        largestBatch = batch;
                        largestStepMs = step[0];
                    }
                }
            }

            PageRequest onePage = work.page(settings.pageTiles(), 1, 1);
            try (GenerationEngine engine = GenerationEngine.open(
                    model,
                    EngineConfig.DEFAULT
                            .withSlots(1, work.longest(onePage) + MARGIN)
                            .withPrefixReuse(false))) {
                engine.generate(onePage);
                GenerationResult r = engine.generate(onePage).getFirst();
                prefillMsPerTile = (r.timings().visionMs() + r.timings().prefillMs()) / settings.pageTiles();
            }
            GpuCostModel.Prefill expectedPrefill = cost.prefill(settings.pageTiles());
            timing(
                    "prefill ms per tile (" + settings.pageTiles() + "-tile page, vision included)",
                    prefillMsPerTile,
                    expectedPrefill.msPerTile(),
                    "%.2f",
                    String.format("%d tokens in one run; compute bound", expectedPrefill.tokens()));

            int widestPage = maxOf(settings.pageBatches());
            PageRequest pageWide = work.page(settings.pageTiles(), widestPage, settings.steps() + 1);
            try (GenerationEngine engine = GenerationEngine.open(
                    model, EngineConfig.DEFAULT.withSlots(widestPage, work.longest(pageWide) + MARGIN))) {
                work.warmUp(engine);
                for (int batch : settings.pageBatches()) {
                    pageSteps.add(work.decodeStep(engine, settings.pageTiles(), batch, settings.steps()));
                }
            }
        }
        for (int i = 0; i < settings.pageBatches().size(); i++) {
            int batch = settings.pageBatches().get(i);
            double[] step = pageSteps.get(i);
            double msPerPage = settings.pageTiles() * prefillMsPerTile + settings.answerTokens() * step[0] / batch;
            GpuCostModel.PageRate expected = cost.pageRate(settings.pageTiles(), settings.answerTokens(), batch);
            figures.add(new GpuCheckReport.Figure(
                    String.format(
                            "pages/s, %d tiles + %d-token OCR, batch %d",
                            settings.pageTiles(), settings.answerTokens(), batch),
                    1000 / msPerPage,
                    expected.pagesPerSecond(),
                    String.format(
                            "measured: prefill %.1f ms + %d × %.2f ms/step (at %d "
                                    + "positions) ÷ %d; expected at %d mean positions",
                            settings.pageTiles() * prefillMsPerTile,
                            settings.answerTokens(),
                            step[0],
                            (int) step[1],
                            batch,
                            expected.meanContext())));
        }

        // The old design copies every row's whole KV view to the device and back each step: a step much slower than
        // the bound by about that copy time means the cache is not resident.
        if (largestBatch > 0) {
            GpuCostModel.HostTraffic traffic = cost.hostTraffic(largestBatch, sweepCapacity);
            double limit = cost.decode(largestBatch, sweepCapacity).ms() + traffic.hostResidentMs() / 2;
            check(
                    "decode step free of per-step KV copies (timing)",
                    settings.cpuSmoke() ? Verdict.SKIP : largestStepMs < limit ? Verdict.PASS : Verdict.FAIL,
                    String.format("%.2f ms", largestStepMs),
                    String.format("< %.2f ms", limit),
                    String.format(
                            "batch %d: copying its KV views (%d positions, "
                                    + "%.2f GB each way) would add about %.0f ms",
                            largestBatch,
                            sweepCapacity,
                            traffic.hostResidentKvBytesEachWay() / 1e9,
                            traffic.hostResidentMs()));
        }

        // 3. The same prompts on the CPU in float32.
        List<GenerationResult> cpuTokens;
        try (OnnxModel model = OnnxModel.open(
                        checkpoint, fp32Onnx, RuntimeOptions.DEFAULT.withThreads(settings.cpuThreads(), 1));
                Tokenizer tokenizer = Tokenizer.load(checkpoint)) {
            log("greedy tokens on the CPU in fp32 ...");
            cpuTokens = new Workload(model, tokenizer).agreementRun(settings.agreementTokens());
        }
        agreementChecks(deviceTokens, cpuTokens);
        return report(checkpoint, dtype, provider);
    }

    private GpuCheckReport report(Path checkpoint, String dtype, ExecutionProvider provider) {
        return new GpuCheckReport(
                checkpoint.toString(),
                dtype,
                provider.name(),
                settings.gpu().name(),
                settings.cpuSmoke(),
                List.copyOf(checks),
                List.copyOf(figures));
    }

    private GpuCostModel.Weights costWeights() {
        return settings.dtype() == TargetDtype.BF16 ? GpuCostModel.Weights.BF16 : GpuCostModel.Weights.FP16;
    }

    /**
     * Reads every profile file of the run. A KV-shaped Memcpy in any session fails the check (a decode-only session
     * beside the prefill one is as much the decoder as the other); the files holding GroupQueryAttention are the
     * decoder's, whose CPU-provider ops are listed.
     */
    private void profileChecks(String prefix, LlmConfig llm) throws IOException {
        List<Path> files = OrtProfile.files(prefix);
        List<OrtProfile.Summary> decoders = new ArrayList<>();
        long kvCopies = 0;
        long copies = 0;
        String firstKv = null;
        int unreadable = 0;
        int salvaged = 0;
        for (Path file : files) {
            try {
                OrtProfile.Summary summary = OrtProfile.read(file, llm.numKeyValueHeads(), llm.headDim());
                kvCopies += summary.kvMemcpys();
                copies += summary.memcpys().size();
                if (firstKv == null) {
                    firstKv = summary.memcpys().stream()
                            .filter(OrtProfile.Memcpy::kv)
                            .map(m -> m.op() + " " + m.shapes())
                            .findFirst()
                            .orElse(null);
                }
                salvaged += summary.salvaged() ? 1 : 0;
                if (summary.has("GroupQueryAttention")) {
                    decoders.add(summary);
                }
            } catch (IOException | RuntimeException e) {
                unreadable++;
            }
        }
        String about = files.size() + " profile file(s), " + unreadable + " unreadable"
                + (salvaged == 0 ? "" : ", " + salvaged + " salvaged line by line (not one JSON array)");
        if (decoders.isEmpty()) {
            check("no Memcpy of KV tensors in the decoder profile", Verdict.SKIP, "no decoder profile", "0", about);
            return;
        }
        check(
                "no Memcpy of KV tensors in the decoder profile",
                kvCopies == 0 ? Verdict.PASS : Verdict.FAIL,
                kvCopies + " of " + copies + " Memcpy",
                "0",
                about + "; KV recognised by shape [*, "
                        + llm.numKeyValueHeads() + ", *, " + llm.headDim() + "]"
                        + (firstKv == null ? "" : "; first: " + firstKv));
        java.util.Set<String> cpuOps = new java.util.TreeSet<>();
        java.util.Map<String, Integer> providers = new java.util.TreeMap<>();
        for (OrtProfile.Summary d : decoders) {
            cpuOps.addAll(d.cpuOps());
            d.providerCounts().forEach((k, v) -> providers.merge(k, v, Integer::sum));
        }
        List<String> heavyOnCpu = cpuOps.stream().filter(HEAVY_OPS::contains).toList();
        check(
                "decoder compute on the device provider",
                settings.cpuSmoke() ? Verdict.SKIP : heavyOnCpu.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                heavyOnCpu.isEmpty() ? "none on the CPU" : String.join(", ", heavyOnCpu) + " on the CPU",
                "no MatMul/attention/norm on the CPU",
                "kernels per provider " + providers + "; ops on the CPU provider " + cpuOps);
        OrtProfile.Summary main = decoders.stream()
                .max(java.util.Comparator.comparingInt(OrtProfile.Summary::kernels))
                .orElseThrow();
        figures.add(new GpuCheckReport.Figure(
                "run time outside kernels, ms per run (input/output copies across "
                        + "devices + session overhead; profiled run)",
                main.meanOutsideExecuteUs() / 1000,
                Double.NaN,
                main.runs() + " runs, mean model_run " + String.format("%.2f ms", main.meanRunUs() / 1000)
                        + (main.salvaged() ? "; salvaged file: runs of every session that wrote it" : "")));
    }

    private void agreementChecks(List<GenerationResult> device, List<GenerationResult> cpu) {
        int total = 0;
        int agreed = 0;
        int identical = 0;
        double maxDelta = 0;
        for (int i = 0; i < device.size(); i++) {
            int[] a = device.get(i).tokenIds();
            int[] b = cpu.get(i).tokenIds();
            int length = Math.max(a.length, b.length);
            int same = 0;
            while (same < Math.min(a.length, b.length) && a[same] == b[same]) {
                maxDelta = Math.max(
                        maxDelta,
                        Math.abs(device.get(i).logprobs()[same] - cpu.get(i).logprobs()[same]));
                same++;
            }
            total += length;
            agreed += same;
            identical += same == length ? 1 : 0;
        }
        double agreement = total == 0 ? 1 : (double) agreed / total;
        check(
                "greedy tokens agree with CPU fp32",
                agreement >= settings.minAgreement() ? Verdict.PASS : Verdict.FAIL,
                String.format("%.1f%%", 100 * agreement),
                String.format("≥ %.0f%%", 100 * settings.minAgreement()),
                String.format(
                        "%d of %d prompts identical; tokens counted up to each prompt's first divergence",
                        identical, device.size()));
        check(
                "max |Δ logprob| vs CPU fp32 (agreeing tokens)",
                maxDelta <= settings.maxLogprobDelta() ? Verdict.PASS : Verdict.FAIL,
                String.format("%.4f", maxDelta),
                String.format("≤ %.2f", settings.maxLogprobDelta()),
                "natural-log probabilities of the same token at the same position; threshold a judgement, not "
                        + "calibrated on a GPU");
    }

    private void timing(String what, double measured, double expected, String format, String detail) {
        Verdict verdict = settings.cpuSmoke()
                ? Verdict.SKIP
                : measured <= settings.maxSlowdown() * expected ? Verdict.PASS : Verdict.FAIL;
        check(
                what,
                verdict,
                String.format(format, measured),
                String.format(format, expected),
                String.format(
                                "measured ÷ expected %.2f (fails above %.1f); ",
                                measured / expected, settings.maxSlowdown())
                        + detail);
    }

    private void check(String name, Verdict verdict, String measured, String expected, String detail) {
        checks.add(new GpuCheckReport.Check(name, verdict.name(), measured, expected, detail));
        log("  %s: %s (%s; expected %s)", name, verdict, measured, expected);
    }

    enum Verdict {
        PASS,
        FAIL,
        SKIP
    }

    private Path randomCheckpoint() throws IOException {
        Path dir = settings.work().resolve(settings.config() + "-random");
        Path done = dir.resolve(".complete");
        if (!Files.exists(done)) {
            ModelConfig config = ModelTools.config(settings.config());
            log("writing a random %s checkpoint (bf16, seed 1) to %s ...", settings.config(), dir);
            RandomCheckpoint.write(config, 1, DType.BF16, dir);
            TokenizerFiles.write(dir, config.llm().vocabSize(), 1);
            Files.writeString(done, "random checkpoint, seed 1\n");
        }
        return dir;
    }

    private static int maxOf(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    private void log(String format, Object... args) {
        log.printf(format + "%n", args);
        log.flush();
    }

    /** Prompts and pages on one model, built as {@link EngineBench} builds its own. */
    private static final class Workload {
        private final OnnxModel model;
        private final ChatPrompt chat;

        Workload(OnnxModel model, Tokenizer tokenizer) {
            this.model = model;
            this.chat = new ChatPrompt(tokenizer, model.info().tokensPerTile());
        }

        PixelTiles image(int tiles) {
            return GenerationEngine.imagePreprocessor(model.config(), EngineConfig.DEFAULT.maxImagePixels())
                    .preprocess(EngineBench.picture(tiles, model.info().tileSize()));
        }

        /** One image of {@code tiles} tiles and {@code prompts} questions about it, {@code tokens} new tokens each. */
        PageRequest page(int tiles, int prompts, int tokens) {
            List<GenerationRequest> requests = IntStream.range(0, prompts)
                    .mapToObj(i -> request("Question " + i + ": what does line " + i + " of the page say?", tokens))
                    .toList();
            return new PageRequest(List.of(image(tiles)), requests);
        }

        int longest(PageRequest page) {
            List<Integer> tiles =
                    page.images().stream().map(PixelTiles::tileCount).toList();
            return page.prompts().stream()
                    .mapToInt(p -> chat.build(p.prompt(), tiles).ids().length + p.maxNewTokens())
                    .max()
                    .orElseThrow();
        }

        void warmUp(GenerationEngine engine) {
            engine.generate(PageRequest.text(request("Warm up.", 2)));
        }

        /** {ms per decode step, mean positions during those steps} for {@code batch} rows on one image. */
        double[] decodeStep(GenerationEngine engine, int tiles, int batch, int steps) {
            EngineStats before = engine.stats();
            List<GenerationResult> results = engine.generate(page(tiles, batch, steps + 1));
            EngineStats after = engine.stats();
            double ms = (after.decodeNanos() - before.decodeNanos())
                    / 1e6
                    / Math.max(1, after.decodeSteps() - before.decodeSteps());
            double context = results.stream()
                            .mapToInt(r -> r.promptTokenIds().length)
                            .average()
                            .orElseThrow()
                    + steps / 2.0;
            return new double[] {ms, context};
        }

        /** Text prompts and one single-tile image prompt, greedy, each its own page. */
        List<GenerationResult> agreementRun(int tokens) throws IOException, OrtException {
            List<PageRequest> pages = new ArrayList<>();
            for (String prompt : List.of(
                    "Transcribe the page.",
                    "Who signed the letter?",
                    "List the totals of the invoice.",
                    "Translate the title into French.")) {
                pages.add(PageRequest.text(request(prompt, tokens)));
            }
            pages.add(PageRequest.of(image(1), request("Read the page.", tokens)));
            int capacity = pages.stream().mapToInt(this::longest).max().orElseThrow() + MARGIN;
            try (GenerationEngine engine =
                    GenerationEngine.open(model, EngineConfig.DEFAULT.withSlots(pages.size(), capacity))) {
                List<GenerationResult> results = new ArrayList<>();
                for (PageRequest page : pages) {
                    results.add(engine.generate(page).getFirst());
                }
                return results;
            }
        }

        private static GenerationRequest request(String prompt, int tokens) {
            return GenerationRequest.of(prompt, tokens)
                    .withStopTokens(Set.of())
                    .withRepetitionGuard(RepetitionGuard.NONE);
        }
    }
}
