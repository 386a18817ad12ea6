package io.pagestream.stack;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One packaged service under a {@link ServiceSupervisor}. Once {@link #keepRunning()} is called, each time its JVM
 * exits it is started again with the same command line (ports included) and the same log file, appended to, after the
 * policy's backoff — until it is stopped, the supervisor is closed, or it died too often too soon, when it stays down.
 */
public final class SupervisedService implements AutoCloseable {
    /**
     * How long an exit waits before it counts. Ctrl-C in a terminal reaches the children together with their parent:
     * by then the parent's shutdown hook has closed the supervisor, and the exit is not mistaken for a crash.
     */
    private static final Duration SETTLE = Duration.ofMillis(250);

    private final ServiceJvm.Builder builder;
    private final ScheduledExecutorService timer;
    private final Consumer<String> report;
    private final RestartBackoff backoff;
    private final String name;

    private ServiceJvm current;
    private Instant startedAt;
    private boolean watching;
    private boolean stopping;
    private boolean givenUp;
    private int restarts;
    private ScheduledFuture<?> pending;

    SupervisedService(
            ServiceJvm.Builder builder, RestartPolicy policy, ScheduledExecutorService timer, Consumer<String> report)
            throws IOException {
        this.builder = builder;
        this.timer = timer;
        this.report = report;
        this.backoff = new RestartBackoff(policy);
        this.current = builder.start();
        this.startedAt = Instant.now();
        this.name = current.name();
    }

    public String name() {
        return name;
    }

    /** The JVM running now, or the last one when it is down (stopped, waiting for its restart, or given up on). */
    public synchronized ServiceJvm current() {
        return current;
    }

    /** True once it died too often too soon: it is not started again. */
    public synchronized boolean isGivenUp() {
        return givenUp;
    }

    /** From now on it is started again whenever it exits. */
    public synchronized void keepRunning() {
        if (!watching && !stopping) {
            watching = true;
            watch(current);
        }
    }

    private void watch(ServiceJvm instance) {
        instance.process().onExit().thenRun(() -> schedule(() -> exited(instance), SETTLE));
    }

    private synchronized void schedule(Runnable task, Duration delay) {
        if (!stopping) {
            pending = timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void exited(ServiceJvm instance) {
        String line;
        synchronized (this) {
            if (stopping || instance != current) {
                return;
            }
            line = died(name + " exited with status " + instance.process().exitStatus());
        }
        report.accept(line);
    }

    /** Decides what follows a death described by {@code what}, and returns the line that says so. */
    private String died(String what) {
        Optional<Duration> delay = backoff.afterRun(startedAt, Instant.now());
        if (delay.isEmpty()) {
            givenUp = true;
            return what + "; not restarting it: it died too often too soon (its log: " + current.log() + ")";
        }
        restarts++;
        pending = timer.schedule(this::restart, delay.get().toMillis(), TimeUnit.MILLISECONDS);
        return what + "; restarting in " + seconds(delay.get()) + " (restart " + restarts + ")";
    }

    private void restart() {
        String line;
        synchronized (this) {
            if (stopping) {
                return;
            }
            try {
                current = builder.start();
                startedAt = Instant.now();
                watch(current);
                return;
            } catch (IOException e) {
                startedAt = Instant.now();
                line = died(name + " could not be started again: " + e.getMessage());
            }
        }
        report.accept(line);
    }

    private static String seconds(Duration delay) {
        long millis = delay.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** No restart from now on, nor any pending one. */
    synchronized void stopRestarting() {
        stopping = true;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /**
     * Stops it for good: no restart from now on, then SIGTERM and SIGKILL after {@code grace}. Returns whether it ended
     * by itself.
     */
    public boolean stop(Duration grace) {
        ServiceJvm last;
        synchronized (this) {
            stopRestarting();
            last = current;
        }
        return last.stop(grace);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }
}
