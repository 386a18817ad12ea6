package io.pagestream.ingest.render.isolated;

import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.ingest.render.EncodedPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Renders documents in separate processes, so that no document can hurt the service: each {@link RenderProcess} has
 * a hard heap cap and ends at its first {@code OutOfMemoryError}; every answer has a deadline (per page, and for the
 * whole document), past which the process is killed; a process that dies takes only its document with it, refused
 * with the reason ({@code RENDER_MEMORY}, {@code RENDER_TIMEOUT}, {@code RENDER_FAILED}), and another is started.
 *
 * <p>One slot per document, shared out fairly between clients ({@link FairQueue}); one document renders in one process
 * at a time, so a huge document holds one slot, for at most the document deadline. Processes are started in the
 * background ahead of need (one per slot), and replaced after {@code documentsPerProcess} documents, so whatever a
 * library keeps between documents (font caches, leaks) does not grow without bound.
 */
public final class RenderPool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RenderPool.class.getName());

    /**
     * @param slots               documents rendered at once (one process each)
     * @param slotsPerClient      most slots one client holds at once
     * @param pageTimeout         longest wait for one page (and for opening the document)
     * @param documentTimeout     longest time one document may take to render, all pages together
     * @param documentsPerProcess documents a process renders before it is replaced
     * @param startTimeout        longest wait for a new process to be ready
     * @param logLines            lines of the processes' stderr logged per {@code logInterval}, the rest counted
     */
    public record Settings(
            int slots,
            int slotsPerClient,
            Duration pageTimeout,
            Duration documentTimeout,
            int documentsPerProcess,
            Duration startTimeout,
            int logLines,
            Duration logInterval) {}

    /** No render process could be started: the service cannot render now, whatever the document. */
    public static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ChildCommand command;
    private final Path tmp;
    private final Settings settings;
    private final FairQueue queue;
    private final ScheduledExecutorService timer;
    private final LogLimiter log;
    private final ArrayDeque<RenderChild> idle = new ArrayDeque<>();
    private final AtomicInteger failedStarts = new AtomicInteger();
    private volatile String lastStartFailure = "";
    private int starting;
    private boolean closed;

    /**
     * A pool whose processes keep their temporary files in folders of their own under {@code tmp} (emptied now of what
     * processes of an earlier run left).
     */
    public RenderPool(ChildCommand command, Path tmp, Settings settings) throws IOException {
        this.command = command;
        this.settings = settings;
        this.tmp = tmp;
        deleteTree(tmp);
        Files.createDirectories(tmp);
        this.queue = new FairQueue(settings.slots(), settings.slotsPerClient());
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("render-deadlines").factory());
        this.log = new LogLimiter(
                settings.logLines(),
                settings.logInterval(),
                System::nanoTime,
                line -> LOG.log(System.Logger.Level.WARNING, line));
        long interval = settings.logInterval().toMillis();
        timer.scheduleAtFixedRate(log::roll, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Starts one process per slot in the background, so the first documents do not wait for a JVM to start. */
    public RenderPool start() {
        replenish();
        return this;
    }

    /**
     * A slot for one document of {@code client}, waiting at most {@code wait} for the client's turn; null when none
     * came in time.
     */
    public Lease acquire(String client, Duration wait) throws InterruptedException {
        return queue.acquire(client, wait) ? new Lease(client) : null;
    }

    public int slots() {
        return queue.slots();
    }

    public int busy() {
        return queue.busy();
    }

    /** Process starts that failed in a row (0 once one succeeds), and the last failure's message. */
    public int failedStarts() {
        return failedStarts.get();
    }

    public String lastStartFailure() {
        return lastStartFailure;
    }

    /** One document's slot: it opens the document in a process and renders its pages, each under its deadline. */
    public final class Lease implements AutoCloseable {
        private final String client;
        private RenderChild child;
        private long documentDeadline;

        private Lease(String client) {
            this.client = client;
        }

        /** Opens the document in a render process (starting one if none is ready): its page count. */
        public int open(Path file, DocumentFormat format, Limits limits) throws Rejected, Unavailable {
            if (child != null) {
                throw new IllegalStateException("a lease renders one document");
            }
            child = take(System.nanoTime() + settings.startTimeout().toNanos());
            // The document's time starts once a process is ready for it: a start is bounded by its own timeout.
            documentDeadline = System.nanoTime() + settings.documentTimeout().toNanos();
            return child.open(new Frames.Open(file, format, limits), deadline());
        }

        public EncodedPage page(int index) throws Rejected {
            return child.page(index, deadline());
        }

        private RenderChild.Deadline deadline() {
            long page = System.nanoTime() + settings.pageTimeout().toNanos();
            return page <= documentDeadline
                    ? new RenderChild.Deadline(page, "the page deadline (" + settings.pageTimeout() + ")")
                    : new RenderChild.Deadline(
                            documentDeadline, "the document deadline (" + settings.documentTimeout() + ")");
        }

        @Override
        public void close() {
            try {
                if (child != null) {
                    child.closeDocument();
                    giveBack(child);
                }
            } finally {
                queue.release(client);
            }
        }
    }

    private RenderChild take(long deadlineNanos) throws Unavailable {
        synchronized (this) {
            RenderChild ready = idle.poll();
            if (ready != null) {
                return ready;
            }
        }
        try {
            return startChild(deadlineNanos);
        } catch (IOException e) {
            throw new Unavailable("no render process could be started: " + e.getMessage(), e);
        }
    }

    private RenderChild startChild(long deadlineNanos) throws IOException {
        try {
            RenderChild child = RenderChild.start(command, tmp, deadlineNanos, timer, log);
            failedStarts.set(0);
            return child;
        } catch (RejectedExecutionException e) {
            throw new IOException("the render pool is closed", e);
        } catch (IOException e) {
            failedStarts.incrementAndGet();
            lastStartFailure = e.getMessage();
            throw e;
        }
    }

    /** Keeps a healthy process that has documents left for the next one; replaces any other. */
    private void giveBack(RenderChild child) {
        synchronized (this) {
            if (!closed
                    && !child.dead()
                    && child.documents() < settings.documentsPerProcess()
                    && idle.size() < settings.slots()) {
                idle.push(child);
                return;
            }
        }
        child.close();
        replenish();
    }

    /** Starts processes in the background until those ready, those being started and the slots in use make one each. */
    private void replenish() {
        int wanted;
        synchronized (this) {
            wanted = closed ? 0 : settings.slots() - idle.size() - starting - queue.busy();
            starting += Math.max(0, wanted);
        }
        for (int i = 0; i < wanted; i++) {
            Thread.ofPlatform().daemon().name("render-process-start").start(this::startInBackground);
        }
    }

    private void startInBackground() {
        RenderChild child = null;
        try {
            child = startChild(System.nanoTime() + settings.startTimeout().toNanos());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot start a render process: " + e.getMessage());
        }
        synchronized (this) {
            starting--;
            if (child != null && !closed && idle.size() < settings.slots()) {
                idle.push(child);
                return;
            }
        }
        if (child != null) {
            child.close();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            idle.forEach(RenderChild::close);
            idle.clear();
        }
        timer.shutdownNow();
        log.close();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
