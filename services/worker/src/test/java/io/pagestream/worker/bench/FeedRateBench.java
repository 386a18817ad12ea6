package io.pagestream.worker.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pagestream.internvl.bench.GpuCostModel;
import io.pagestream.internvl.bench.GpuSpec;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.engine.EngineConfig;
import io.pagestream.internvl.engine.GenerationEngine;
import io.pagestream.internvl.image.ImagePreprocessor;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.internvl.tokenizer.Tokenizer;
import io.pagestream.internvl.tokenizer.TokenizerFiles;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.topics.Topics;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.batch.AdaptiveLimits;
import io.pagestream.worker.batch.BatchLimits;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.model.ModelIdentity;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.output.AnswerReader;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.ResultMapper;
import io.pagestream.worker.pipeline.DecodeStage;
import io.pagestream.worker.pipeline.InferenceStage;
import io.pagestream.worker.pipeline.OutcomeSink;
import io.pagestream.worker.pipeline.PageDecoder;
import io.pagestream.worker.pipeline.PageTask;
import io.pagestream.worker.pipeline.PageTracing;
import io.pagestream.worker.pipeline.PartitionLease;
import io.pagestream.worker.pipeline.PipelineMetrics;
import io.pagestream.worker.pipeline.PreparedPage;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.TinyModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How many pages per second the worker's host side can feed a GPU: its decode stage (Avro value, PNG decode, tiling
 * by the real 2B preprocessing, prompt tokenisation through the chat template), micro-batcher and inference stage, with
 * the engine replaced by a zero-cost stand-in ({@link InstantEngine}), at 1, 2, ... decode threads
 * ({@code pagestream.worker.pipeline.decode-threads}), on one-tile pages (448×448) and 13-tile pages (US Letter at
 * 150 dpi, 1275×1650: a 3×4 grid plus the thumbnail). Set beside the pages per second the {@link GpuCostModel} says an
 * H100 or H200 consumes, the CPU time per page says how many cores a GPU worker needs for decoding.
 *
 * <p>Settings: {@code bench.feedPages} (24 per configuration), {@code bench.feedThreads} (1,2,4 decode threads),
 * {@code bench.rounds} (3: configurations in turn, round after round, medians compared). Ratios are measured side by
 * side in one run; no timing is asserted. Run:
 * {@code ./mvnw -B -q -pl services/worker -am test -DskipTests -Pbench -Dbench.main=io.pagestream.worker.bench.FeedRateBench}
 */
public final class FeedRateBench {
    private static final int OCR_TOKENS = 1024;

    private final int pages = Integer.getInteger("bench.feedPages", 24);
    private final List<Integer> threads = Arrays.stream(
                    System.getProperty("bench.feedThreads", "1,2,4").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    private final int rounds = Integer.getInteger("bench.rounds", 3);

    public static void main(String[] args) throws Exception {
        new FeedRateBench().run();
    }

    /** One kind of page: its records, and what one thread spends on one page, stage by stage. */
    private record Kind(
            String name,
            int width,
            int height,
            List<byte[]> records,
            int tiles,
            double pngMs,
            double tileMs,
            double promptMs,
            double cpuMsPerPage) {}

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("pagestream-feed-bench-");
        try {
            ModelConfig config = mono2b();
            TokenizerFiles.write(dir, config.llm().vocabSize(), 1);
            try (Tokenizer tokenizer = Tokenizer.load(dir)) {
                ImagePreprocessor preprocessor =
                        GenerationEngine.imagePreprocessor(config, EngineConfig.DEFAULT.maxImagePixels());
                InstantEngine engine = new InstantEngine(
                        preprocessor,
                        new ChatPrompt(tokenizer, config.tokensPerTile()),
                        config.tokensPerTile(),
                        64,
                        8192);
                WorkerConfig worker = Configs.worker(Map.of());
                Prompts prompts = Prompts.of(worker.prompts());
                List<Kind> kinds = List.of(
                        kind("one-tile page 448×448", 448, 448, engine, prompts),
                        kind("13-tile page 1275×1650", 1275, 1650, engine, prompts));
                System.out.printf(
                        "pagestream worker feed-rate benchmark: the worker's decode stage, micro-batcher "
                                + "and inference stage with a zero-cost engine; %d processors, load average %.1f; %d pages "
                                + "per configuration (OCR + 2 questions each), %d rounds, medians%n",
                        Runtime.getRuntime().availableProcessors(), load(), pages, rounds);
                for (Kind k : kinds) {
                    System.out.printf(
                            "  %s: %d tiles; one thread, one page: PNG decode %.1f ms, tiling %.1f ms, "
                                    + "prompt ids %.1f ms; CPU %.1f ms per page through the stage%n",
                            k.name(), k.tiles(), k.pngMs(), k.tileMs(), k.promptMs(), k.cpuMsPerPage());
                }
                double[][][] rates = new double[kinds.size()][threads.size()][rounds];
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < kinds.size(); k++) {
                        for (int t = 0; t < threads.size(); t++) {
                            rates[k][t][round] = rate(kinds.get(k), threads.get(t), engine, prompts, worker);
                        }
                    }
                }
                System.out.printf("  %-24s", "decode threads");
                threads.forEach(t -> System.out.printf(" %10d", t));
                System.out.println("   (pages/s, median; ratio to 1 thread)");
                for (int k = 0; k < kinds.size(); k++) {
                    System.out.printf("  %-24s", kinds.get(k).name());
                    double base = median(rates[k][0]);
                    for (int t = 0; t < threads.size(); t++) {
                        System.out.printf(" %10.2f", median(rates[k][t]));
                    }
                    System.out.print("   ");
                    for (int t = 0; t < threads.size(); t++) {
                        System.out.printf(" %.2f", median(rates[k][t]) / base);
                    }
                    System.out.println();
                }
                Kind page13 = kinds.get(1);
                System.out.printf(
                        "what a GPU consumes (cost model, bf16, datasheet figures, %d-tile pages with a "
                                + "%d-token OCR) and the host cores it needs at %.0f CPU ms per page:%n",
                        page13.tiles(), OCR_TOKENS, page13.cpuMsPerPage());
                for (GpuSpec gpu : List.of(GpuSpec.H100, GpuSpec.H200)) {
                    GpuCostModel cost =
                            new GpuCostModel(config, GpuCostModel.Weights.BF16, gpu, GpuCostModel.Assumptions.DEFAULT);
                    for (int batch : List.of(16, 64)) {
                        double needed =
                                cost.pageRate(page13.tiles(), OCR_TOKENS, batch).pagesPerSecond();
                        System.out.printf(
                                "  %s, batch %d: %.2f pages/s -> %.2f cores busy decoding%n",
                                gpu.name(), batch, needed, needed * page13.cpuMsPerPage() / 1000);
                    }
                }
                System.out.printf("load average at the end %.1f%n", load());
            }
        } finally {
            TinyModel.delete(dir);
        }
    }

    private Kind kind(String name, int width, int height, InstantEngine engine, Prompts prompts) throws Exception {
        List<byte[]> records = new ArrayList<>();
        List<String> questions = List.of("What is the invoice number?", "Who signed it?");
        for (int i = 0; i < pages; i++) {
            PageImage page =
                    Pages.page("feed-" + width + "-" + (i / 4), i % 4, 4, Pages.png(width, height, i), questions);
            ByteBuffer encoded = page.toByteBuffer();
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            records.add(bytes);
        }
        // Stage by stage on one thread, after a warm-up, to show where a page's time goes.
        byte[] png = Pages.png(width, height, 1);
        int tiles = 0;
        double[] ms = new double[3];
        int repeats = 5;
        for (int run = -2; run < repeats; run++) {
            long t0 = System.nanoTime();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            long t1 = System.nanoTime();
            PixelTiles pixels = engine.preprocess(image);
            long t2 = System.nanoTime();
            for (String prompt : List.of(
                    prompts.ocr(OcrMode.MARKDOWN),
                    prompts.question(questions.get(0), false),
                    prompts.question(questions.get(1), false))) {
                engine.promptIds(prompt, pixels.tileCount());
            }
            long t3 = System.nanoTime();
            tiles = pixels.tileCount();
            if (run >= 0) {
                ms[0] += (t1 - t0) / 1e6 / repeats;
                ms[1] += (t2 - t1) / 1e6 / repeats;
                ms[2] += (t3 - t2) / 1e6 / repeats;
            }
        }
        Kind draft = new Kind(name, width, height, records, tiles, ms[0], ms[1], ms[2], 0);
        rate(draft, 1, engine, prompts, Configs.worker(Map.of()));
        double cpu = cpuMsPerPage(draft, engine, prompts);
        return new Kind(name, width, height, records, tiles, ms[0], ms[1], ms[2], cpu);
    }

    /** CPU time of the whole process per page, one decode thread (GC and the stage's own threads included). */
    private double cpuMsPerPage(Kind kind, InstantEngine engine, Prompts prompts) throws Exception {
        long before = processCpuNanos();
        rate(kind, 1, engine, prompts, Configs.worker(Map.of()));
        return (processCpuNanos() - before) / 1e6 / kind.records().size();
    }

    /** Pages per second from the first page handed to the decode stage to the last page's outcome. */
    private static double rate(Kind kind, int threads, InstantEngine engine, Prompts prompts, WorkerConfig worker)
            throws Exception {
        WorkerConfig.Batch b = worker.batch();
        ResultMapper results = new ResultMapper(
                new ModelIdentity("feed-bench", "none"), "bench", Clock.systemUTC(), AnswerReader.of(worker));
        FailureMapper failures = new FailureMapper("bench", Clock.systemUTC());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        OutcomeSink sink = outcome -> {
            if (outcome.failureReason() != null) {
                failed.incrementAndGet();
                reasons.add(outcome.failureReason());
            }
            done.incrementAndGet();
        };
        MicroBatcher<PreparedPage> batcher =
                new MicroBatcher<>(worker.pipeline().preparedPages());
        PageDecoder decoder = new PageDecoder(
                Topics.DOCUMENTS_PAGES.name(),
                (topic, bytes) -> fromBytes(bytes),
                engine,
                prompts,
                worker.pipeline().maxImagePixels());
        AdaptiveLimits limits = new AdaptiveLimits(
                new BatchLimits(b.maxPages(), engine.slots(), (long) engine.slots() * engine.slotTokens()));
        InferenceStage inference = new InferenceStage(
                engine,
                batcher,
                pages -> true,
                limits,
                new InferenceStage.Settings(b.linger(), b.inFlight(), Duration.ofMinutes(5), 1),
                results,
                failures,
                sink,
                new PipelineMetrics(new SimpleMeterRegistry()),
                PageTracing.off());
        DecodeStage decode = new DecodeStage(
                threads, 2 * kind.records().size(), decoder, 1, results, failures, batcher, sink, PageTracing.off());
        PartitionLease lease = new PartitionLease(new TopicPartition(Topics.DOCUMENTS_PAGES.name(), 0));
        try {
            inference.start();
            long start = System.nanoTime();
            for (int i = 0; i < kind.records().size(); i++) {
                decode.submit(new PageTask(
                        lease, i, "feed/" + i, kind.records().get(i), new RecordHeaders(), System.nanoTime(), 0));
            }
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (done.get() < kind.records().size() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long elapsed = System.nanoTime() - start;
            if (failed.get() > 0 || done.get() < kind.records().size()) {
                throw new IllegalStateException(done.get() + " of "
                        + kind.records().size() + " pages done, " + failed.get() + " failed: " + reasons);
            }
            return kind.records().size() / (elapsed / 1e9);
        } finally {
            decode.close();
            inference.close();
            batcher.close();
        }
    }

    private static PageImage fromBytes(byte[] bytes) {
        try {
            return PageImage.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelConfig mono2b() throws IOException {
        try (InputStream in = FeedRateBench.class.getResourceAsStream("/model-configs/mono-internvl-2b/config.json")) {
            return ConfigJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
