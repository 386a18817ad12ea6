package io.pagestream.internvl.bench;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.engine.EngineConfig;
import io.pagestream.internvl.engine.EngineStats;
import io.pagestream.internvl.engine.GenerationEngine;
import io.pagestream.internvl.engine.GenerationHandle;
import io.pagestream.internvl.engine.GenerationListener;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.KvResidence;
import io.pagestream.internvl.engine.ModelInfo;
import io.pagestream.internvl.engine.OnnxModel;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.RepetitionGuard;
import io.pagestream.internvl.engine.RuntimeOptions;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.internvl.tokenizer.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Benchmarks the engine on one converted model: page prefill per tile against the MatMul bound, decode ms/step over
 * batch sizes against the bandwidth bound, and two scheduling features measured on and off on the same work (prefix
 * reuse on a page with several prompts; continuous batching on requests of mixed lengths). Generations ignore stop
 * tokens and the repetition guard, so that every run does the work asked of it even on a random checkpoint.
 */
public final class EngineBench {
    private static final int MARGIN = 8;

    private final OnnxModel model;
    private final ModelInfo info;
    private final BenchOptions options;
    private final MachineBounds bounds;
    private final DecoderCost cost;
    private final PrintWriter log;
    private final PixelTiles image;
    private final ChatPrompt chat;

    private EngineBench(
            OnnxModel model,
            Path onnxDir,
            Tokenizer tokenizer,
            BenchOptions options,
            MachineBounds bounds,
            PrintWriter log) {
        this.model = model;
        this.chat = new ChatPrompt(tokenizer, model.info().tokensPerTile());
        this.info = model.info();
        this.options = options;
        this.bounds = bounds;
        this.cost = DecoderCost.of(model.config().llm(), onnxDir, info.kvBytesPerToken());
        this.log = log;
        this.image = GenerationEngine.imagePreprocessor(model.config(), EngineConfig.DEFAULT.maxImagePixels())
                .preprocess(picture(options.imageTiles(), info.tileSize()));
    }

    public static BenchResult run(
            String label, Path checkpointDir, Path onnxDir, BenchOptions options, MachineBounds bounds, PrintWriter log)
            throws IOException, OrtException {
        boolean isolated = PeakMemory.reset();
        RuntimeOptions runtime = RuntimeOptions.DEFAULT
                .withThreads(options.effectiveThreads(), 1)
                .withPrepack(options.prepack());
        try (OnnxModel model = OnnxModel.open(checkpointDir, onnxDir, runtime);
                Tokenizer tokenizer = Tokenizer.load(checkpointDir)) {
            EngineBench bench = new EngineBench(model, onnxDir, tokenizer, options, bounds, log);
            bench.log(
                    "%s %s: %d image tiles, decode reads %.0f MiB of weights per step",
                    label, model.info().dtype(), bench.image.tileCount(), bench.cost.decodeWeightBytes() / 1048576.0);
            Page off = bench.page(false);
            Page on = bench.page(true);
            BenchResult.Prefill prefill = bench.prefill(off);
            BenchResult.Comparison prefix = new BenchResult.Comparison(
                    on.wallMs,
                    off.wallMs,
                    off.wallMs / on.wallMs,
                    String.format(
                            "%d prompts, prefill %.0f → %.0f ms, %d prefix tokens " + "shared",
                            options.questions() + 1, off.prefillMs, on.prefillMs, on.reusedPrefix));
            List<BenchResult.Decode> decode = bench.decodeSweep();
            List<BenchResult.Residence> residence = bench.residence();
            List<BenchResult.Capacity> capacity = bench.capacitySweep();
            BenchResult.Comparison batching = bench.continuousBatching();
            return new BenchResult(
                    label,
                    model.info().dtype(),
                    model.info().provider().name(),
                    options.effectiveThreads(),
                    bench.cost.decodeWeightBytes(),
                    prefill,
                    decode,
                    residence,
                    capacity,
                    prefix,
                    batching,
                    PeakMemory.peakBytes(),
                    isolated);
        }
    }

    /** The page (image, OCR prompt and questions) with prefix reuse on or off. */
    private record Page(
            double wallMs, double visionMs, double prefillMs, List<GenerationResult> results, int reusedPrefix) {}

    private Page page(boolean reuse) throws IOException, OrtException {
        List<GenerationRequest> prompts = new ArrayList<>();
        prompts.add(request("Transcribe the whole page as markdown.", options.answerTokens()));
        for (int q = 1; q <= options.questions(); q++) {
            prompts.add(request(
                    "Question " + q + ": what does section " + q + " of the page say?", options.answerTokens()));
        }
        PageRequest page = new PageRequest(List.of(image), prompts);
        int capacity = longest(page) + MARGIN;
        EngineConfig config =
                EngineConfig.DEFAULT.withSlots(prompts.size(), capacity).withPrefixReuse(reuse);
        try (GenerationEngine engine = GenerationEngine.open(model, config)) {
            warmUp(engine);
            Page best = null;
            for (int run = 0; run < options.repeats(); run++) {
                EngineStats before = engine.stats();
                long start = System.nanoTime();
                List<GenerationResult> results = engine.generate(page);
                double wall = (System.nanoTime() - start) / 1e6;
                EngineStats after = engine.stats();
                double vision = (after.visionNanos() - before.visionNanos()) / 1e6;
                double prefill = vision + (after.prefillNanos() - before.prefillNanos()) / 1e6;
                if (best == null || wall < best.wallMs()) {
                    best = new Page(
                            wall, vision, prefill, results, results.getFirst().reusedPrefixTokens());
                }
            }
            log(
                    "  page of %d prompts, prefix reuse %s: %.0f ms (vision + prefill %.0f ms)",
                    prompts.size(), reuse ? "on" : "off", best.wallMs(), best.prefillMs());
            return best;
        }
    }

    private BenchResult.Prefill prefill(Page separate) {
        GenerationResult fastest = separate.results().stream()
                .min((a, b) ->
                        Double.compare(a.timings().prefillMs(), b.timings().prefillMs()))
                .orElseThrow();
        int tokens = fastest.promptTokenIds().length;
        double prefillMs = fastest.timings().prefillMs();
        double gflops = cost.prefillFlops(0, tokens) / prefillMs / 1e6;
        return new BenchResult.Prefill(
                image.tileCount(),
                tokens,
                separate.visionMs(),
                prefillMs,
                (separate.visionMs() + prefillMs) / image.tileCount(),
                gflops,
                gflops / bounds.matmulGflops());
    }

    private List<BenchResult.Decode> decodeSweep() throws IOException, OrtException {
        int steps = options.decodeSteps();
        int slots = options.maxBatch();
        List<GenerationRequest> prompts = IntStream.range(0, slots)
                .mapToObj(i -> request("Question " + i + ": name three colours.", steps + 1))
                .toList();
        int capacity = longest(new PageRequest(List.of(), prompts)) + MARGIN;
        List<BenchResult.Decode> points = new ArrayList<>();
        try (GenerationEngine engine = GenerationEngine.open(model, EngineConfig.DEFAULT.withSlots(slots, capacity))) {
            warmUp(engine);
            for (int batch : options.batches()) {
                EngineStats before = engine.stats();
                List<GenerationResult> results = engine.generate(new PageRequest(List.of(), prompts.subList(0, batch)));
                EngineStats after = engine.stats();
                long stepCount = after.decodeSteps() - before.decodeSteps();
                double msPerStep = (after.decodeNanos() - before.decodeNanos()) / 1e6 / stepCount;
                int context = (int) Math.round(results.stream()
                                .mapToInt(r -> r.promptTokenIds().length)
                                .average()
                                .orElseThrow()
                        + steps / 2.0);
                double boundMs = cost.decodeBytes(batch, context) / (bounds.readGbs() * 1e6);
                BenchResult.Decode point = new BenchResult.Decode(
                        batch,
                        context,
                        (int) stepCount,
                        msPerStep,
                        batch * 1000 / msPerStep,
                        boundMs,
                        boundMs / msPerStep);
                log(
                        "  decode batch %d: %.1f ms/step, %.1f tokens/s (bandwidth bound %.1f ms)",
                        batch, msPerStep, point.tokensPerSecond(), boundMs);
                points.add(point);
            }
        }
        return points;
    }

    /** Decode prompts for {@code batch} rows that each decode {@code steps} steps. */
    private List<GenerationRequest> decodePrompts(int batch, int steps) {
        return IntStream.range(0, batch)
                .mapToObj(i -> request("Question " + i + ": name three colours.", steps + 1))
                .toList();
    }

    private List<GenerationRequest> decodePrompts(int batch) {
        return decodePrompts(batch, options.decodeSteps());
    }

    /** One decode measurement: ms per step and the mean context of its steps. */
    private record StepTiming(double msPerStep, int context) {}

    private StepTiming time(GenerationEngine engine, List<GenerationRequest> prompts) {
        EngineStats before = engine.stats();
        List<GenerationResult> results = engine.generate(new PageRequest(List.of(), prompts));
        EngineStats after = engine.stats();
        long steps = after.decodeSteps() - before.decodeSteps();
        int context = (int) Math.round(results.stream()
                        .mapToInt(r -> r.promptTokenIds().length)
                        .average()
                        .orElseThrow()
                + options.decodeSteps() / 2.0);
        return new StepTiming((after.decodeNanos() - before.decodeNanos()) / 1e6 / steps, context);
    }

    /**
     * Java bytes the engine thread allocates per decode step, read on that thread by the first row's listener at two
     * tokens in mid-generation: only decode steps lie between (every row has been admitted and none has finished),
     * so what a request allocates once — its prefill, its result, its text — is not counted.
     */
    private double allocatedPerStep(GenerationEngine engine, int batch) {
        int steps = options.decodeSteps();
        int from = 2;
        int to = steps - 2;
        long[] at = {-1, -1};
        List<GenerationRequest> prompts = new ArrayList<>(decodePrompts(batch, steps));
        prompts.set(0, prompts.getFirst().withListener(new GenerationListener() {
            @Override
            public void onToken(int index, int tokenId, float logprob) {
                if (index == from || index == to) {
                    at[index == from ? 0 : 1] = ThreadAllocation.currentAllocatedBytes();
                }
            }
        }));
        engine.generate(new PageRequest(List.of(), prompts));
        return at[0] < 0 || at[1] < 0 ? -1 : (at[1] - at[0]) / (double) (to - from);
    }

    /** The smallest and the largest batch of the sweep on each KV path, side by side. */
    private List<BenchResult.Residence> residence() throws IOException, OrtException {
        List<BenchResult.Residence> points = new ArrayList<>();
        for (int batch : List.of(1, options.maxBatch())) {
            List<GenerationRequest> prompts = decodePrompts(batch);
            int capacity = longest(new PageRequest(List.of(), prompts)) + MARGIN;
            StepTiming[] timing = new StepTiming[2];
            double[] allocated = new double[2];
            long[] staged = new long[2];
            for (KvResidence residence : List.of(KvResidence.HOST, KvResidence.DEVICE)) {
                EngineConfig config =
                        EngineConfig.DEFAULT.withSlots(batch, capacity).withKvResidence(residence);
                try (GenerationEngine engine = GenerationEngine.open(model, config)) {
                    warmUp(engine);
                    time(engine, prompts);
                    StepTiming best = null;
                    for (int run = 0; run < options.repeats(); run++) {
                        StepTiming t = time(engine, prompts);
                        best = best == null || t.msPerStep() < best.msPerStep() ? t : best;
                    }
                    timing[residence.ordinal()] = best;
                    staged[residence.ordinal()] = engine.stagedBytesPerStep(batch);
                    allocated[residence.ordinal()] = allocatedPerStep(engine, batch);
                }
            }
            StepTiming device = timing[KvResidence.DEVICE.ordinal()];
            StepTiming host = timing[KvResidence.HOST.ordinal()];
            log(
                    "  batch %d: device-resident %.1f ms/step (%d B staged, %.0f B allocated per step), host %.1f ms/step "
                            + "(%d B staged, %.0f B allocated)",
                    batch, device.msPerStep(), staged[0], allocated[0], host.msPerStep(), staged[1], allocated[1]);
            points.add(new BenchResult.Residence(
                    batch,
                    device.context(),
                    device.msPerStep(),
                    host.msPerStep(),
                    staged[0],
                    staged[1],
                    allocated[0],
                    allocated[1]));
        }
        return points;
    }

    /**
     * Decode at fixed positions and batch while the slots grow ×1, ×4, ×16 (as far as 1 GiB of KV allows): the
     * step must not get slower with capacity it does not use.
     */
    private List<BenchResult.Capacity> capacitySweep() throws IOException, OrtException {
        int batch = Math.min(4, options.maxBatch());
        List<GenerationRequest> prompts = decodePrompts(batch);
        int base = longest(new PageRequest(List.of(), prompts)) + MARGIN;
        List<BenchResult.Capacity> points = new ArrayList<>();
        for (int factor = 1; factor <= 16; factor *= 4) {
            int capacity = base * factor;
            if (factor > 1 && info.kvBytesPerToken() * capacity * batch > 1L << 30) {
                break;
            }
            EngineConfig config = EngineConfig.DEFAULT.withSlots(batch, capacity);
            try (GenerationEngine engine = GenerationEngine.open(model, config)) {
                warmUp(engine);
                StepTiming best = null;
                for (int run = 0; run < options.repeats(); run++) {
                    StepTiming t = time(engine, prompts);
                    best = best == null || t.msPerStep() < best.msPerStep() ? t : best;
                }
                log(
                        "  batch %d at %d positions, slots of %d: %.1f ms/step",
                        batch, best.context(), capacity, best.msPerStep());
                points.add(new BenchResult.Capacity(
                        batch, best.context(), capacity, engine.kvCacheBytes(), best.msPerStep()));
            }
        }
        return points;
    }

    /** Requests alternating one long and three short answers, each its own page, all submitted at once. */
    private BenchResult.Comparison continuousBatching() throws IOException, OrtException {
        int longAnswer = 2 * options.decodeSteps();
        int shortAnswer = Math.max(2, options.decodeSteps() / 4);
        List<PageRequest> pages = IntStream.range(0, options.cbRequests())
                .mapToObj(i -> PageRequest.text(
                        request("Request " + i + ": summarise the report.", i % 4 == 0 ? longAnswer : shortAnswer)))
                .toList();
        int capacity = pages.stream().mapToInt(this::longest).max().orElseThrow() + MARGIN;
        double[] wall = new double[2];
        long[] steps = new long[2];
        long tokens = 0;
        for (int mode = 0; mode < 2; mode++) {
            EngineConfig config =
                    EngineConfig.DEFAULT.withSlots(options.cbSlots(), capacity).withContinuousBatching(mode == 0);
            try (GenerationEngine engine = GenerationEngine.open(model, config)) {
                warmUp(engine);
                wall[mode] = Double.MAX_VALUE;
                for (int run = 0; run < options.repeats(); run++) {
                    EngineStats before = engine.stats();
                    long start = System.nanoTime();
                    List<GenerationHandle> handles = new ArrayList<>();
                    pages.forEach(page -> handles.addAll(engine.submit(page)));
                    tokens = handles.stream()
                            .mapToLong(h -> h.join().tokenIds().length)
                            .sum();
                    wall[mode] = Math.min(wall[mode], (System.nanoTime() - start) / 1e6);
                    steps[mode] = engine.stats().decodeSteps() - before.decodeSteps();
                }
                log(
                        "  %d requests on %d slots, continuous batching %s: %.0f ms, %d decode steps",
                        pages.size(), options.cbSlots(), mode == 0 ? "on" : "off", wall[mode], steps[mode]);
            }
        }
        return new BenchResult.Comparison(
                wall[0],
                wall[1],
                wall[1] / wall[0],
                String.format(
                        "%d requests (%d and %d tokens) on %d slots: %.1f → %.1f tokens/s, %d → %d decode steps",
                        pages.size(),
                        longAnswer,
                        shortAnswer,
                        options.cbSlots(),
                        tokens * 1000 / wall[1],
                        tokens * 1000 / wall[0],
                        steps[1],
                        steps[0]));
    }

    private void warmUp(GenerationEngine engine) {
        engine.generate(PageRequest.text(request("Warm up.", 2)));
    }

    /** Positions the longest prompt of a page needs: its tokens plus its answer. */
    private int longest(PageRequest page) {
        List<Integer> tiles = page.images().stream().map(PixelTiles::tileCount).toList();
        return page.prompts().stream()
                .mapToInt(p -> chat.build(p.prompt(), tiles).ids().length + p.maxNewTokens())
                .max()
                .orElseThrow();
    }

    private static GenerationRequest request(String prompt, int tokens) {
        return GenerationRequest.of(prompt, tokens).withStopTokens(Set.of()).withRepetitionGuard(RepetitionGuard.NONE);
    }

    /** A page-like picture whose aspect gives {@code tiles} tiles: 1, or tiles − 1 side by side plus a thumbnail. */
    public static BufferedImage picture(int tiles, int tileSize) {
        int width = tiles == 1 ? tileSize : tileSize * (tiles - 1);
        BufferedImage picture = new BufferedImage(width, tileSize, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < tileSize; y++) {
            for (int x = 0; x < width; x++) {
                boolean ink = (y / 12) % 2 == 0 && (x / 7) % 5 != 0 && (x * 31 + y * 17) % 11 > 3;
                picture.setRGB(x, y, ink ? 0x202020 : 0xF8F8F0);
            }
        }
        return picture;
    }

    private void log(String format, Object... args) {
        log.printf(format + "%n", args);
        log.flush();
    }
}
