package io.pagestream.ingest.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.ingest.IngestMetrics;
import io.pagestream.ingest.IngestService;
import io.pagestream.ingest.Outcome;
import io.pagestream.ingest.Submission;
import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.auth.Tenants;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.health.RestartPolicy;
import io.pagestream.ingest.idempotency.AcceptedDocuments;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.ingest.publish.KafkaSettings;
import io.pagestream.ingest.publish.StatusPublisher;
import io.pagestream.ingest.quota.InFlightDocuments;
import io.pagestream.ingest.quota.TenantQuota;
import io.pagestream.ingest.render.PageEncoder;
import io.pagestream.ingest.render.PageSource;
import io.pagestream.ingest.render.PageSources;
import io.pagestream.ingest.render.isolated.RenderPool;
import io.pagestream.ingest.render.isolated.TestRenderPools;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.OcrMode;
import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.Directories;
import io.pagestream.stack.KafkaBrokerProcess;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.topics.Topics;
import io.pagestream.topics.TraceHeaders;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Ingest throughput and memory, printed, not asserted. Starts the embedded broker and registry, then runs the
 * service's own pipeline (inspect, render, encode, spool, one transaction) on files already on disk:
 * <ol>
 *   <li>a generated 100-page PDF (text in an embedded font plus two images per page): render-only and end-to-end
 *       pages per second;</li>
 *   <li>with {@code --real FILE}: the first 100 pages of a real PDF, the same two figures;</li>
 *   <li>with {@code --big-mb N}: a generated PDF of about N MB (scanned-looking pages: one incompressible
 *       full-page JPEG each), end to end, with the peak heap (sampled, and live after GC) while it ran.</li>
 * </ol>
 * Run it through {@code services/ingest/bench.sh}, which builds the class path and sets -Xmx.
 */
public final class IngestBench {
    private static final TenantQuota NO_QUOTA = new TenantQuota(OptionalInt.empty(), new InFlightDocuments(0));

    private static final AtomicLong peakUsed = new AtomicLong();
    private static final AtomicLong peakAfterGc = new AtomicLong();
    private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
            .map(java.lang.management.MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toSet());

    public static void main(String[] args) throws Exception {
        Path real = null;
        int bigMb = 0;
        boolean small = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--real" -> real = Path.of(args[++i]);
                case "--big-mb" -> bigMb = Integer.parseInt(args[++i]);
                case "--no-100" -> small = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.setProperty("java.awt.headless", "true");
        watchHeap();
        Path dir = Files.createTempDirectory("pagestream-ingest-bench-");
        Runtime rt = Runtime.getRuntime();
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, max heap %d MiB, %s %s%n",
                rt.availableProcessors(),
                rt.maxMemory() >> 20,
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("kafka"), 0, 0);
                ApicurioRegistry registryProcess = ApicurioRegistry.start(dir.resolve("registry"));
                SchemaRegistryClient registry = RegistryClients.of(registryProcess.url())) {
            TopicAdmin.createMissing(broker.bootstrapServers(), Topics.newTopics((short) 1));
            KafkaSettings settings = new KafkaSettings(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), Duration.ofSeconds(60));
            Limits limits = Limits.defaults().withMaxBytes(2L << 30);
            // The bench measures the pipeline, not tracing: no-op propagation.
            TraceHeaders traces = TraceHeaders.of(OpenTelemetry.noop());
            try (DocumentPublisher publisher = new DocumentPublisher(settings, registry, true, "bench", 1, traces);
                    StatusPublisher status =
                            new StatusPublisher(settings, registry, true, traces, RestartPolicy.defaults());
                    AcceptedDocuments accepted = new AcceptedDocuments(
                                    settings, registry, 1000, RestartPolicy.defaults(), NO_QUOTA)
                            .start();
                    RenderPool renders =
                            TestRenderPools.of(dir.resolve("render"), 1).start()) {
                IngestService service = new IngestService(
                        limits,
                        renders,
                        publisher,
                        status,
                        accepted,
                        new IngestMetrics(new SimpleMeterRegistry()),
                        dir.resolve("work"),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(60),
                        5,
                        OcrMode.MARKDOWN,
                        Clock.systemUTC(),
                        traces,
                        java.util.Optional.empty(),
                        NO_QUOTA);

                warmUp(service, dir);
                if (small) {
                    Path generated = Files.write(dir.resolve("generated-100.pdf"), TestFiles.pdf(100, true, true));
                    measure("generated 100-page PDF", generated, service, limits);
                }
                if (real != null) {
                    Path first100 = firstPages(real, 100, dir.resolve("real-100.pdf"));
                    measure("real PDF " + real.getFileName() + ", first 100 pages", first100, service, limits);
                }
                if (bigMb > 0) {
                    Path big = bigPdf(bigMb, dir.resolve("big.pdf"));
                    System.gc();
                    peakUsed.set(0);
                    peakAfterGc.set(0);
                    long t0 = System.nanoTime();
                    Outcome o = submit(service, big);
                    double s = (System.nanoTime() - t0) / 1e9;
                    int pages = o instanceof Outcome.Accepted a ? a.pageCount() : 0;
                    System.out.printf(
                            Locale.ROOT,
                            "%s: %,d bytes, %d pages, %s, %.1f s, %.2f pages/s; peak heap "
                                    + "used %d MiB (sampled every 10 ms), peak live after GC %d MiB, max heap %d MiB%n",
                            big.getFileName(),
                            Files.size(big),
                            pages,
                            o,
                            s,
                            pages / s,
                            peakUsed.get() >> 20,
                            peakAfterGc.get() >> 20,
                            rt.maxMemory() >> 20);
                }
            }
        } finally {
            Directories.deleteQuietly(dir);
        }
    }

    private static void warmUp(IngestService service, Path dir) throws Exception {
        submit(service, Files.write(dir.resolve("warm.pdf"), TestFiles.pdf(5, true, true)));
    }

    private static void measure(String label, Path pdf, IngestService service, Limits limits) throws Exception {
        PageEncoder encoder = new PageEncoder(0.9f);
        long t0 = System.nanoTime();
        int pages;
        long bytes = 0;
        try (PageSource source = PageSources.open(pdf, DocumentFormat.PDF, limits)) {
            pages = source.pageCount();
            for (int i = 0; i < pages; i++) {
                bytes += encoder.encode(source.render(i)).bytes().length;
            }
        }
        double render = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Outcome o = submit(service, pdf);
        double e2e = (System.nanoTime() - t1) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%s (%,d bytes): render+encode %d pages in %.1f s = %.2f pages/s "
                        + "(%.0f KiB per page); end to end through Kafka (%s) %.1f s = %.2f pages/s%n",
                label,
                Files.size(pdf),
                pages,
                render,
                pages / render,
                bytes / 1024.0 / pages,
                o,
                e2e,
                pages / e2e);
    }

    private static Outcome submit(IngestService service, Path file) throws Exception {
        return service.submit(
                new Submission(
                        Tenants.DEFAULT,
                        file,
                        Files.size(file),
                        file.getFileName().toString(),
                        List.of(),
                        List.of(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                "bench");
    }

    private static Path firstPages(Path pdf, int n, Path out) throws Exception {
        try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(pdf.toFile()))) {
            while (doc.getNumberOfPages() > n) {
                doc.removePage(doc.getNumberOfPages() - 1);
            }
            doc.save(out.toFile());
        }
        return out;
    }

    /** About {@code mb} MB: A4 pages each carrying its own incompressible 2480 x 3508 JPEG (a 300 dpi scan). */
    private static Path bigPdf(int mb, Path out) throws Exception {
        byte[] jpeg = noiseJpeg(2480, 3508);
        int pages = Math.max(1, (int) ((long) mb * 1_000_000 / jpeg.length));
        try (PDDocument doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
            for (int i = 0; i < pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                PDImageXObject scan = JPEGFactory.createFromByteArray(doc, jpeg);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.drawImage(scan, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                }
            }
            doc.save(out.toFile());
        }
        return out;
    }

    private static byte[] noiseJpeg(int w, int h) throws Exception {
        BufferedImage img = TestFiles.noise(w, h, 3);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.95f);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static void watchHeap() {
        Thread sampler = new Thread(
                () -> {
                    while (true) {
                        peakUsed.accumulateAndGet(
                                ManagementFactory.getMemoryMXBean()
                                        .getHeapMemoryUsage()
                                        .getUsed(),
                                Math::max);
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc)
                    .addNotificationListener(
                            (n, h) -> {
                                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                        n.getType())) {
                                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                                    long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                            .filter(e -> HEAP_POOLS.contains(e.getKey()))
                                            .mapToLong(e -> e.getValue().getUsed())
                                            .sum();
                                    peakAfterGc.accumulateAndGet(after, Math::max);
                                }
                            },
                            null,
                            null);
        }
    }
}
