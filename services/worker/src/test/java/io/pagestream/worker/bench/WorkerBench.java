package io.pagestream.worker.bench;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.servicetest.TopicReader;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.KafkaBroker;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.testing.QuietKafka;
import io.pagestream.topics.Topics;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.batch.AdaptiveLimits;
import io.pagestream.worker.batch.BatchLimits;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.delivery.KafkaClients;
import io.pagestream.worker.model.ModelRuntime;
import io.pagestream.worker.model.PageEngine;
import io.pagestream.worker.output.AnswerReader;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.ResultMapper;
import io.pagestream.worker.pipeline.InferenceStage;
import io.pagestream.worker.pipeline.Outcomes;
import io.pagestream.worker.pipeline.PageDecoder;
import io.pagestream.worker.pipeline.PageTask;
import io.pagestream.worker.pipeline.PageTracing;
import io.pagestream.worker.pipeline.PartitionLease;
import io.pagestream.worker.pipeline.Pipeline;
import io.pagestream.worker.pipeline.PipelineMetrics;
import io.pagestream.worker.pipeline.PreparedPage;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.TinyModel;
import io.pagestream.worker.testing.WorkerTopics;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The worker benchmark: in one run, on the same pages and the same loaded model, pages per second
 * <ol>
 *   <li>through the engine at micro-batch 1 (one page at a time) and at micro-batch N (one batch at a time, then
 *       two batches in flight, the worker's default), and</li>
 *   <li>end to end through Kafka (embedded broker and registry, the worker's whole pipeline: poll, decode, tile,
 *       micro-batch, infer, transactional publish) against the engine alone with the worker's batch settings.</li>
 * </ol>
 * Engine runs are fed pages already decoded and tiled, so they measure inference and batching alone. Settings are
 * system properties: {@code bench.pages} (48), {@code bench.batch} (8), {@code bench.ocrTokens} (32),
 * {@code bench.questionTokens} (8), {@code bench.questions} (2), {@code bench.threads} (0: ONNX Runtime's choice),
 * {@code bench.rounds} (3), {@code bench.model} ({@code tiny}, or {@code small}: see {@link TinyModel}). The configurations are measured in turn, round after round, and compared by their
 * medians, so that a burst of load from elsewhere on the machine hits them alike.
 * Run: {@code ./mvnw -B -q -pl services/worker -am test -DskipTests -Pbench} (see docs/benchmarks.md).
 */
public final class WorkerBench {
    private static final Duration WAIT = Duration.ofMinutes(20);

    private final int pages;
    private final int batch;
    private final int ocrTokens;
    private final int questionTokens;
    private final int questions;
    private final int threads;
    private final int rounds;
    private final String modelName;

    private WorkerBench() {
        pages = Integer.getInteger("bench.pages", 48);
        batch = Integer.getInteger("bench.batch", 8);
        ocrTokens = Integer.getInteger("bench.ocrTokens", 32);
        questionTokens = Integer.getInteger("bench.questionTokens", 8);
        questions = Integer.getInteger("bench.questions", 2);
        threads = Integer.getInteger("bench.threads", 0);
        rounds = Integer.getInteger("bench.rounds", 3);
        modelName = System.getProperty("bench.model", "tiny");
    }

    public static void main(String[] args) throws Exception {
        QuietKafka.atWarn();
        new WorkerBench().run();
    }

    private WorkerConfig config(Path checkpoint, String instanceId) {
        return Configs.worker(Map.of(
                "pagestream.worker.instance-id", instanceId,
                "pagestream.worker.model.checkpoint", checkpoint.toString(),
                "pagestream.worker.model.threads", Integer.toString(threads),
                "pagestream.worker.engine.slots", Integer.toString(batch * (1 + questions)),
                "pagestream.worker.batch.max-pages", Integer.toString(batch),
                "pagestream.worker.pipeline.max-in-flight-pages", Integer.toString(4 * batch),
                "pagestream.worker.pipeline.prepared-pages", Integer.toString(2 * batch),
                "pagestream.worker.prompts.ocr-max-new-tokens", Integer.toString(ocrTokens),
                "pagestream.worker.prompts.question-max-new-tokens", Integer.toString(questionTokens)));
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("pagestream-worker-bench-");
        try {
            Path checkpoint = TinyModel.create(dir, modelName);
            try (ModelRuntime model = ModelRuntime.open(config(checkpoint, "bench"));
                    KafkaBroker broker = KafkaBroker.start();
                    ApicurioRegistry registry = ApicurioRegistry.start(dir.resolve("registry"));
                    SchemaRegistryClient schemas = RegistryClients.of(registry.url())) {
                TopicAdmin.createMissing(broker.bootstrapServers(), Topics.newTopics((short) 1));
                measure(checkpoint, model, new Stack(broker.bootstrapServers(), registry.url(), schemas));
            }
        } finally {
            TinyModel.delete(dir);
        }
    }

    private record Stack(String bootstrap, String registryUrl, SchemaRegistryClient schemas) {}

    private void measure(Path checkpoint, ModelRuntime model, Stack stack) throws Exception {
        PageEngine engine = model.engine();
        prepare(model, images("warm", Math.min(4, pages)));
        long decodeStart = System.nanoTime();
        List<PreparedPage> prepared = prepare(model, images("prepared", pages));
        double decodeMs = (System.nanoTime() - decodeStart) / 1e6 / pages;
        System.out.printf(
                "pagestream worker benchmark: %s random model (%s), fp32 on the CPU, %d cores, load "
                        + "average %.1f; %d pages of %d tile(s), OCR (%d new tokens) + %d questions (%d new tokens) each; "
                        + "%d engine slots; %d rounds%n",
                modelName,
                model.identity().modelVersion(),
                Runtime.getRuntime().availableProcessors(),
                load(),
                pages,
                prepared.getFirst().tiles().tileCount(),
                ocrTokens,
                questions,
                questionTokens,
                engine.slots(),
                rounds);
        System.out.printf("  decoding and tiling one page (PNG to tiles, one thread): %.1f ms%n", decodeMs);

        KafkaClients clients = new KafkaClients(
                Map.of("bootstrap.servers", stack.bootstrap()),
                "bench",
                "bench-e2e",
                true,
                batch,
                stack.schemas(),
                true);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Pipeline pipeline = Pipeline.create(
                        config(checkpoint, "bench-e2e"),
                        model,
                        clients,
                        new AvroDeserializer<>(stack.schemas(), PageImage.class),
                        new PipelineMetrics(meters),
                        PageTracing.off(),
                        Clock.systemUTC());
                TopicReader reader = WorkerTopics.reader(stack.bootstrap(), stack.registryUrl())) {
            pipeline.start();
            engineRate(model, prepared.subList(0, Math.min(pages, 2 * batch)), batch, 2);
            endToEnd(stack, reader, images("warm", 2 * batch));
            List<double[]> results = new ArrayList<>();
            System.out.printf(
                    "  %-6s %14s %14s %14s %14s   (pages/s)%n",
                    "round", "micro-batch 1", "micro-batch " + batch, batch + ", 2 in flight", "through Kafka");
            double[] cpu = new double[4];
            for (int round = 1; round <= rounds; round++) {
                long t0 = cpuNanos();
                double one = engineRate(model, prepared, 1, 1);
                long t1 = cpuNanos();
                double wide = engineRate(model, prepared, batch, 1);
                long t2 = cpuNanos();
                double alone = engineRate(model, prepared, batch, 2);
                long t3 = cpuNanos();
                double kafka = endToEnd(stack, reader, images("round" + round, pages));
                long t4 = cpuNanos();
                long[] spent = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
                for (int i = 0; i < cpu.length; i++) {
                    cpu[i] += spent[i] / 1e6 / pages / rounds;
                }
                results.add(new double[] {one, wide, alone, kafka});
                System.out.printf("  %-6d %14.2f %14.2f %14.2f %14.2f%n", round, one, wide, alone, kafka);
            }
            double one = median(results, 0);
            double wide = median(results, 1);
            double alone = median(results, 2);
            double kafka = median(results, 3);
            System.out.printf("  %-6s %14.2f %14.2f %14.2f %14.2f%n", "median", one, wide, alone, kafka);
            System.out.printf(
                    "  %-6s %14.1f %14.1f %14.1f %14.1f   (CPU ms per page, this process: broker and "
                            + "clients included in the last)%n",
                    "cpu", cpu[0], cpu[1], cpu[2], cpu[3]);
            System.out.printf("  through Kafka: %s%n", PipelineSummary.of(meters));
            System.out.printf(
                    "ratios of the medians: micro-batch %d / micro-batch 1 = %.2f (one batch at a time), "
                            + "%.2f (2 batches in flight, the worker default); end-to-end through Kafka / engine alone "
                            + "(same settings) = %.2f; load average at the end %.1f%n",
                    batch, wide / one, alone / one, kafka / alone, load());
        }
    }

    private static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void report(String what, double pagesPerSecond, String ratio) {
        System.out.printf("  %-62s %8.2f pages/s%s%n", what, pagesPerSecond, ratio == null ? "" : "   " + ratio);
    }

    private List<PageImage> images(String prefix, int count) {
        List<String> asked = new ArrayList<>();
        for (int q = 0; q < questions; q++) {
            asked.add(
                    List.of("What is the invoice number?", "Who signed it?", "What is the total?", "What is the date?")
                            .get(q % 4));
        }
        List<PageImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(Pages.page(prefix + "-" + (i / 4), i % 4, 4, Pages.png(448, 448, i), asked));
        }
        return images;
    }

    /** Decoded and tiled once, outside every measurement. */
    private static List<PreparedPage> prepare(ModelRuntime model, List<PageImage> images) throws Exception {
        PageDecoder decoder =
                new PageDecoder(Topics.DOCUMENTS_PAGES.name(), null, model.engine(), model.prompts(), Long.MAX_VALUE);
        PartitionLease lease = new PartitionLease(new TopicPartition(Topics.DOCUMENTS_PAGES.name(), 0));
        List<PreparedPage> prepared = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            PageImage image = images.get(i);
            PageTask task = new PageTask(
                    lease, i, image.getDocumentId() + "/" + image.getPageIndex(), null, new RecordHeaders(), 0, 0);
            prepared.add(decoder.prepare(task, image, decoder.prompts(image)));
        }
        return prepared;
    }

    /** The worker's inference stage on prepared pages: pages per second from the first submission to the last result. */
    private static double engineRate(ModelRuntime model, List<PreparedPage> prepared, int maxPages, int inFlight)
            throws Exception {
        PageEngine engine = model.engine();
        Outcomes outcomes = new Outcomes();
        MicroBatcher<PreparedPage> batcher = new MicroBatcher<>(prepared.size());
        AdaptiveLimits limits = new AdaptiveLimits(
                new BatchLimits(maxPages, engine.slots(), (long) engine.slots() * engine.slotTokens()));
        InferenceStage stage = new InferenceStage(
                engine,
                batcher,
                pages -> true,
                limits,
                new InferenceStage.Settings(Duration.ofMillis(20), inFlight, WAIT, 1),
                new ResultMapper(
                        model.identity(), "bench", Clock.systemUTC(), AnswerReader.of(Configs.worker(Map.of()))),
                new FailureMapper("bench", Clock.systemUTC()),
                outcomes,
                new PipelineMetrics(new SimpleMeterRegistry()),
                PageTracing.off());
        try {
            stage.start();
            long start = System.nanoTime();
            for (PreparedPage page : prepared) {
                batcher.put(page);
            }
            long deadline = start + WAIT.toNanos();
            while (outcomes.size() < prepared.size() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long elapsed = System.nanoTime() - start;
            if (outcomes.size() < prepared.size()) {
                throw new IllegalStateException("only " + outcomes.size() + " of " + prepared.size() + " pages");
            }
            return prepared.size() / (elapsed / 1e9);
        } finally {
            stage.close();
        }
    }

    /**
     * The worker's pipeline, already running on the embedded broker and registry with the same model: pages per
     * second from producing the pages until a read_committed consumer has seen every page's OCR and answers.
     */
    private static double endToEnd(Stack stack, TopicReader reader, List<PageImage> images) {
        String prefix = images.getFirst()
                .getDocumentId()
                .substring(0, images.getFirst().getDocumentId().indexOf('-') + 1);
        long start = System.nanoTime();
        TopicWriter.writeAll(stack.bootstrap(), stack.registryUrl(), images);
        List<ConsumerRecord<String, SpecificRecord>> records =
                reader.readUntil(List.of(), r -> pagesDone(r, prefix) >= images.size(), WAIT);
        long elapsed = System.nanoTime() - start;
        if (pagesDone(records, prefix) < images.size()) {
            throw new IllegalStateException("only " + pagesDone(records, prefix) + " of " + images.size() + " pages");
        }
        return images.size() / (elapsed / 1e9);
    }

    /** Pages of these documents with both their OCR and their answers published. */
    private static int pagesDone(List<ConsumerRecord<String, SpecificRecord>> records, String prefix) {
        Map<String, Set<String>> topicsPerPage = records.stream()
                .filter(r -> r.key().startsWith(prefix))
                .collect(Collectors.groupingBy(
                        r -> r.key() + "/" + pageIndex(r.value()),
                        Collectors.mapping(ConsumerRecord::topic, Collectors.toSet())));
        return (int) topicsPerPage.values().stream().filter(t -> t.size() == 2).count();
    }

    private static int pageIndex(Object value) {
        return value instanceof PageOcr ocr ? ocr.getPageIndex() : ((PageAnswers) value).getPageIndex();
    }
}
