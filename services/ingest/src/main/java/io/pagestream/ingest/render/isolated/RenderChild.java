package io.pagestream.ingest.render.isolated;

import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.ingest.render.EncodedPage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One render process, used by one document at a time. Every answer is awaited under a deadline: a timer kills the
 * process ({@code destroyForcibly}) when it is due, and the read then ends. A process that ends, killed or by itself,
 * is dead for good: the document it was rendering is refused with the reason its end gives ({@link #death}) and the
 * pool starts another.
 */
final class RenderChild implements AutoCloseable {
    /** The exit status of a JVM ended by {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int EXIT_OUT_OF_MEMORY = 3;
    /** A page larger than this is not a page the renderer meant to send (a topic message holds 16 MiB). */
    private static final int MAX_PAGE_BYTES = 64 << 20;
    /** How long a process whose output ended may take to exit by itself. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    private final Process process;
    private final Path tmp;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ScheduledExecutorService timer;
    private volatile String killedFor;
    private boolean dead;
    private int documents;

    private RenderChild(Process process, Path tmp, ScheduledExecutorService timer) {
        this.process = process;
        this.tmp = tmp;
        this.timer = timer;
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    /**
     * Starts a process with its own temporary folder (PDFBox's scratch files, removed with the process however it
     * ends) and waits for its READY; its stderr goes to {@code log} line by line.
     */
    static RenderChild start(
            ChildCommand command, Path tmpParent, long deadlineNanos, ScheduledExecutorService timer, LogLimiter log)
            throws IOException {
        Path tmp = Files.createTempDirectory(tmpParent, "render-");
        Process process;
        try {
            process = new ProcessBuilder(command.command(List.of("-Djava.io.tmpdir=" + tmp))).start();
        } catch (IOException e) {
            deleteTree(tmp);
            throw e;
        }
        String name = "render process " + process.pid();
        Thread.ofPlatform().daemon().name(name + " stderr").start(() -> pump(process, name, log));
        RenderChild child = new RenderChild(process, tmp, timer);
        boolean ready = false;
        try {
            int answer = child.await(new Deadline(deadlineNanos, "the start timeout"), "start", child.in::read);
            if (answer != Frames.READY) {
                throw new IOException(name + " did not start (see its output above)");
            }
            ready = true;
        } catch (Rejected r) {
            throw new IOException(name + " did not start: " + r.getMessage());
        } finally {
            if (!ready) {
                child.close();
            }
        }
        return child;
    }

    long pid() {
        return process.pid();
    }

    boolean dead() {
        return dead;
    }

    int documents() {
        return documents;
    }

    /**
     * When an answer is due: {@code atNanos} on {@link System#nanoTime}'s scale, and which deadline that is, for the
     * client's message.
     */
    record Deadline(long atNanos, String description) {}

    /** Opens a document: its page count, or the child's refusal, or the reason the child died on it. */
    int open(Frames.Open request, Deadline deadline) throws Rejected {
        documents++;
        return await(deadline, "open the document", () -> {
            Frames.writeOpen(out, request);
            return switch (in.readByte()) {
                case Frames.OPENED -> in.readInt();
                case Frames.REFUSED -> throw refused(Frames.readRefused(in));
                default -> throw new IOException("unexpected answer to OPEN");
            };
        });
    }

    EncodedPage page(int index, Deadline deadline) throws Rejected {
        return await(deadline, "render page " + (index + 1), () -> {
            Frames.writePage(out, index);
            return switch (in.readByte()) {
                case Frames.IMAGE -> Frames.readImage(in, MAX_PAGE_BYTES);
                case Frames.REFUSED -> throw refused(Frames.readRefused(in));
                default -> throw new IOException("unexpected answer to PAGE");
            };
        });
    }

    /** Lets go of the open document; the child is then ready for the next one. */
    void closeDocument() {
        if (dead) {
            return;
        }
        try {
            out.writeByte(Frames.CLOSE);
            out.flush();
        } catch (IOException e) {
            dead = true;
        }
    }

    /** Ends the process (it holds nothing worth a graceful stop) and removes its temporary folder. */
    @Override
    public void close() {
        dead = true;
        process.destroyForcibly();
        process.onExit().thenRun(() -> deleteTree(tmp));
    }

    private interface Exchange<T> {
        T run() throws IOException, Rejected;
    }

    /**
     * Runs one request-and-answer under the deadline. The child's refusal passes through as it is; a child that dies,
     * or sends what the protocol does not allow, is killed and the document refused with the reason of its death.
     */
    private <T> T await(Deadline deadline, String what, Exchange<T> exchange) throws Rejected {
        if (dead) {
            throw new IllegalStateException("render process " + pid() + " is dead");
        }
        long left = deadline.atNanos() - System.nanoTime();
        ScheduledFuture<?> kill = timer.schedule(
                () -> {
                    killedFor = what + " within " + deadline.description();
                    process.destroyForcibly();
                },
                Math.max(0, left),
                TimeUnit.NANOSECONDS);
        try {
            return exchange.run();
        } catch (IOException | RuntimeException e) {
            dead = true;
            throw death(what);
        } finally {
            if (!kill.cancel(false)) {
                // Killed just after it answered: the answer stands, the process is gone.
                dead = true;
            }
        }
    }

    /**
     * Why the process ended while it was to {@code what}: killed at the deadline, out of heap, or any other end. Its
     * stdout closes as it exits, so it is given a moment to finish exiting with its own status before it is killed.
     */
    private Rejected death(String what) {
        int exit;
        try {
            if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            exit = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Rejected(Reason.RENDER_FAILED, "rendering was interrupted");
        }
        close();
        if (killedFor != null) {
            return new Rejected(
                    Reason.RENDER_TIMEOUT, "the renderer ran out of time to " + killedFor + " and was stopped");
        }
        if (exit == EXIT_OUT_OF_MEMORY) {
            return new Rejected(
                    Reason.RENDER_MEMORY, "the renderer ran out of memory trying to " + what + " and was stopped");
        }
        return new Rejected(
                Reason.RENDER_FAILED, "the renderer crashed trying to " + what + " (exit status " + exit + ")");
    }

    private static Rejected refused(Frames.Refused refused) {
        return new Rejected(refused.reason(), refused.message());
    }

    private static void pump(Process process, String name, LogLimiter log) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                log.line(name + ": " + line);
            }
        } catch (IOException e) {
            // the process is gone; so is the rest of its output
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover is removed with the rest when the pool starts next
        }
    }
}
