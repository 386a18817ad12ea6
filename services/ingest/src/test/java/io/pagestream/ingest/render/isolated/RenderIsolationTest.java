package io.pagestream.ingest.render.isolated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.BombFiles;
import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.ingest.render.EncodedPage;
import io.pagestream.ingest.render.PageEncoder;
import io.pagestream.ingest.render.PageSource;
import io.pagestream.ingest.render.PageSources;
import io.pagestream.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents rendered in render processes: the same pages as rendering in the service would give, every format; bombs
 * refused with their reason (out of heap, past a deadline, a crashed process) while a good document from another
 * client renders beside them in about its usual time; a hung renderer killed at the page and at the document deadline.
 * Small pools, a 96 MiB heap and deadlines of seconds keep it short.
 */
@IntegrationTest
public class RenderIsolationTest {
    /**
     * The service's limits but a per-page decompression budget of 16 MiB, not 128: the bombs past it then take the
     * guard a fraction of the time to inflate.
     */
    private static final Limits LIMITS = Limits.defaults().withMaxDecodedBytesPerPage(16 << 20);

    private static final long PAST_THE_BUDGET = LIMITS.maxDecodedBytesPerPage() + (1 << 20);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A document's fate: its pages, or the reason it was refused with; and how long it took. */
    private record Result(List<EncodedPage> pages, Rejected refused, Duration took) {
        Reason reason() {
            return refused == null ? null : refused.reason();
        }
    }

    private RenderPool pool(ChildCommand command, int slots, int perClient, Duration page, Duration document)
            throws Exception {
        return new RenderPool(
                        command, dir.resolve("render"), TestRenderPools.settings(slots, perClient, page, document))
                .start();
    }

    private static ChildCommand renderer() {
        return ChildCommand.renderer("96m", List.of(), 0.9f);
    }

    private Result render(RenderPool pool, String client, String name, byte[] content, DocumentFormat format)
            throws Exception {
        Path file = TestFiles.write(dir, name, content);
        long start = System.nanoTime();
        List<EncodedPage> pages = new ArrayList<>();
        try (RenderPool.Lease lease = pool.acquire(client, WAIT)) {
            assertNotNull(lease, "a slot within " + WAIT);
            int count = lease.open(file, format, LIMITS);
            for (int i = 0; i < count; i++) {
                pages.add(lease.page(i));
            }
        } catch (Rejected r) {
            return new Result(pages, r, Duration.ofNanos(System.nanoTime() - start));
        }
        return new Result(pages, null, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void everyFormatRendersToTheSamePagesAsInTheService() throws Exception {
        List<Object[]> inputs = List.of(
                new Object[] {"doc.pdf", TestFiles.pdf(2, true, true), DocumentFormat.PDF},
                new Object[] {"scan.tif", TestFiles.tiff(2, 300, 200), DocumentFormat.TIFF},
                new Object[] {"photo.jpg", TestFiles.jpegWithOrientation(300, 200, 6), DocumentFormat.JPEG},
                new Object[] {"chart.png", TestFiles.png(300, 200), DocumentFormat.PNG});
        PageEncoder encoder = new PageEncoder(0.9f);
        try (RenderPool pool = pool(renderer(), 1, 1, Duration.ofSeconds(30), Duration.ofSeconds(60))) {
            for (Object[] input : inputs) {
                String name = (String) input[0];
                Result isolated = render(pool, "c", name, (byte[]) input[1], (DocumentFormat) input[2]);
                assertEquals(null, isolated.refused(), name);
                try (PageSource local = PageSources.open(dir.resolve(name), (DocumentFormat) input[2], LIMITS)) {
                    assertEquals(local.pageCount(), isolated.pages().size(), name);
                    for (int i = 0; i < local.pageCount(); i++) {
                        EncodedPage expected = encoder.encode(local.render(i));
                        EncodedPage got = isolated.pages().get(i);
                        assertEquals(expected.mediaType(), got.mediaType(), name);
                        assertEquals(expected.source(), got.source(), name);
                        assertArrayEquals(expected.bytes(), got.bytes(), name + " page " + i);
                    }
                }
            }
        }
    }

    @Test
    void bombsAreRefusedWithTheirReasonWhileAnotherClientsGoodDocumentRendersInItsUsualTime() throws Exception {
        byte[] good = TestFiles.pdf(2, true, true);
        // A slot more than the two clients can hold: a bomb that kills its process is followed by the next one at
        // once, in the spare, while its replacement starts.
        try (RenderPool pool = pool(renderer(), 3, 1, Duration.ofSeconds(6), Duration.ofSeconds(8))) {
            render(pool, "good", "warm-up.pdf", good, DocumentFormat.PDF);
            Duration baseline = Duration.ofDays(1);
            for (int i = 0; i < 3; i++) {
                Result alone = render(pool, "good", "alone.pdf", good, DocumentFormat.PDF);
                assertEquals(null, alone.refused());
                baseline = alone.took().compareTo(baseline) < 0 ? alone.took() : baseline;
            }

            // Bombs that end their process at once come in twos after one held to a deadline, by which time the
            // processes the last two ended are replaced: the attack waits for no JVM to start.
            Object[][] bombs = {
                {"self-drawing-form.pdf", BombFiles.selfDrawingForm(), Reason.RENDER_TIMEOUT},
                {"huge-transform.pdf", BombFiles.hugeTransformImage(6000), Reason.RENDER_MEMORY},
                {"type3.pdf", BombFiles.recursiveType3Glyph(), Reason.RENDER_FAILED},
                {
                    "image-20-forms-deep.pdf",
                    BombFiles.nestedForms(20, BombFiles.imageOfSide(20_000)),
                    Reason.TOO_MANY_PIXELS
                },
                {
                    "flate-20-forms-deep.pdf",
                    BombFiles.nestedForms(20, BombFiles.formInflatingTo(PAST_THE_BUDGET)),
                    Reason.DECOMPRESSION_BOMB
                },
                {"forms-1000x.pdf", BombFiles.formDrawnManyTimes(1000, 3), Reason.RENDER_TIMEOUT},
                {"lying-jbig2.pdf", BombFiles.lyingJbig2Image(60_000), Reason.RENDER_MEMORY},
                {"inline-image.pdf", BombFiles.hugeInlineImage(6000), Reason.RENDER_MEMORY},
                {"shading-mesh.pdf", BombFiles.shadingInflatingTo(PAST_THE_BUDGET), Reason.DECOMPRESSION_BOMB},
                {
                    "annotation-appearance.pdf",
                    BombFiles.annotationAppearanceInflatingTo(PAST_THE_BUDGET),
                    Reason.DECOMPRESSION_BOMB
                },
                // Each page draws in about half a second, well within the page deadline; all 200 would take minutes.
                {
                    "pages-sharing-content.pdf",
                    BombFiles.pagesSharingOneContentStream(200, 4 << 20),
                    Reason.RENDER_TIMEOUT
                },
                {"save-states.pdf", BombFiles.saveStates(4_000_000), Reason.RENDER_MEMORY},
                // (2^31 - 16) x 16: the widest tile a multiple of 16 (as TIFF asks) that fits an int.
                {"huge-tile.tif", BombFiles.tiffWithTile((1L << 31) - 16, 16), Reason.RENDER_MEMORY},
            };
            List<Duration> goodTimes = new ArrayList<>();
            List<String> outcomes = new ArrayList<>();
            try (ExecutorService attacker = Executors.newSingleThreadExecutor()) {
                Future<?> attack = attacker.submit(() -> {
                    for (Object[] bomb : bombs) {
                        String name = (String) bomb[0];
                        DocumentFormat format = name.endsWith(".tif") ? DocumentFormat.TIFF : DocumentFormat.PDF;
                        Result r = render(pool, "attacker", name, (byte[]) bomb[1], format);
                        outcomes.add(name + " " + r.reason() + " after "
                                + r.took().toMillis() + " ms: "
                                + (r.refused() == null ? "" : r.refused().getMessage()));
                        assertEquals(bomb[2], r.reason(), outcomes.toString());
                    }
                    return null;
                });
                while (!attack.isDone()) {
                    Result r = render(pool, "good", "good.pdf", good, DocumentFormat.PDF);
                    assertEquals(null, r.refused(), "the good document beside the bombs");
                    goodTimes.add(r.took());
                }
                attack.get();
            }
            // The bombs' processes take CPU from the good one's (on a 2-core machine under other builds, much of
            // it), and each replacement JVM starts beside it: the bounds allow for that, not for waiting behind a bomb
            // (a slot held to the page deadline, 6 s, then the render).
            List<Long> millis =
                    goodTimes.stream().map(Duration::toMillis).sorted().toList();
            String report = "alone " + baseline.toMillis() + " ms, beside the bombs " + millis + "; " + outcomes;
            System.out.println(report);
            assertTrue(millis.size() >= 2, "good documents rendered while the bombs went off: " + report);
            long median = millis.get(millis.size() / 2);
            assertTrue(median <= 2 * baseline.toMillis() + 1000, "median within twice the time alone + 1 s: " + report);
            assertTrue(
                    millis.getLast() <= 4 * baseline.toMillis() + 4000,
                    "slowest within four times the time alone + 4 s: " + report);
            assertEquals(
                    null,
                    render(pool, "attacker", "after.pdf", good, DocumentFormat.PDF)
                            .refused(),
                    "the attacker's processes were replaced");
        }
    }

    @Test
    void aHungRendererIsKilledAtThePageDeadlineAndASlowOneAtTheDocumentDeadline() throws Exception {
        ChildCommand base = renderer();
        List<Path> classPath = new ArrayList<>(base.classPath());
        classPath.add(ChildClasspath.locationOf(StandInRenderProcess.class));
        ChildCommand hung = new ChildCommand(
                base.jvmOptions(), classPath, StandInRenderProcess.class.getName(), List.of("3", "-1"));
        try (RenderPool pool = pool(hung, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            Result r = render(pool, "c", "hung.pdf", TestFiles.pdf(1, false, false), DocumentFormat.PDF);
            assertEquals(Reason.RENDER_TIMEOUT, r.reason());
            assertTrue(
                    r.refused().getMessage().contains("page 1 within the page deadline"),
                    r.refused().getMessage());
            assertTrue(
                    r.took().compareTo(Duration.ofMillis(900)) >= 0 && r.took().compareTo(Duration.ofSeconds(10)) < 0,
                    "killed at the deadline: " + r.took());
        }
        ChildCommand slow = new ChildCommand(
                base.jvmOptions(), classPath, StandInRenderProcess.class.getName(), List.of("20", "300"));
        try (RenderPool pool = pool(slow, 1, 1, Duration.ofSeconds(2), Duration.ofMillis(1500))) {
            Result r = render(pool, "c", "slow.pdf", TestFiles.pdf(1, false, false), DocumentFormat.PDF);
            assertEquals(Reason.RENDER_TIMEOUT, r.reason());
            assertTrue(
                    r.refused().getMessage().contains("the document deadline"),
                    r.refused().getMessage());
            assertTrue(
                    r.pages().size() >= 2 && r.pages().size() < 20,
                    "some pages came before: " + r.pages().size());
        }
    }
}
