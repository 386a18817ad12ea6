package io.pagestream.ingest.health;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A background loop in a thread of its own, restarted when it dies: a throwable out of the loop (an {@code Error}
 * included: nothing catches it, the thread ends), a loop that returns while it should run, or a loop that showed no
 * progress for {@code stuckAfter} (it is abandoned: interrupted, and told by {@link Heartbeat#active()} to end if it
 * ever wakes). A restart is a fresh thread running the loop from its start, so whatever client the loop builds is
 * fresh too; the loop decides where it resumes.
 *
 * <p>Each death is one log line, saying when the restart comes, or that the part is given up because it died more
 * than {@code maxRestarts} times within the window.
 */
public final class SupervisedThread implements Part {
    private static final System.Logger LOG = System.getLogger(SupervisedThread.class.getName());

    /** What the loop is handed. */
    public interface Heartbeat {
        /** Progress: the loop calls it once per pass, including passes that only wait for Kafka. */
        void beat();

        /** Whether the loop should go on: false once the service stops or this thread was replaced. */
        boolean active();
    }

    /** The loop's body: returns when {@link Heartbeat#active()} turns false. */
    @FunctionalInterface
    public interface Loop {
        void run(Heartbeat heartbeat) throws Exception;
    }

    private final String name;
    private final Loop loop;
    private final Restarts restarts;
    private final FaultSeam faults = new FaultSeam();
    private final AtomicInteger threads = new AtomicInteger();
    private volatile Run current;
    private volatile boolean stopped;
    /** System.nanoTime at which the dead current run is restarted. */
    private long restartAt;

    public SupervisedThread(String name, RestartPolicy policy, Loop loop) {
        this.name = name;
        this.loop = loop;
        this.restarts = new Restarts(policy);
    }

    public SupervisedThread start() {
        launch();
        return this;
    }

    private void launch() {
        Run run = new Run();
        current = run;
        run.thread.start();
    }

    @Override
    public String name() {
        return name;
    }

    /** Test seam: breaks the loop at its next heartbeat (see {@link FaultSeam}). */
    public FaultSeam faults() {
        return faults;
    }

    @Override
    public PartHealth health() {
        Run run = current;
        int deaths = restarts.recent();
        if (restarts.gaveUp()) {
            return PartHealth.gaveUp(
                    name,
                    "died " + deaths + " times within " + restarts.policy().window(),
                    deaths);
        }
        if (run == null || stopped) {
            return PartHealth.down(name, "not running", deaths);
        }
        if (run.death != null) {
            return PartHealth.down(name, "dead (" + run.death + "), restarting", deaths);
        }
        if (run.failure != null || run.ended) {
            return PartHealth.down(name, "dead (" + (run.ended ? "its loop ended" : run.failure) + ")", deaths);
        }
        long now = System.nanoTime();
        if (run.lastBeat == 0) {
            return now - run.started > stuckNanos()
                    ? PartHealth.down(name, "stuck: no progress since it started", deaths)
                    : PartHealth.down(name, "starting", deaths);
        }
        long quiet = now - run.lastBeat;
        return quiet > stuckNanos()
                ? PartHealth.down(
                        name,
                        "stuck: no progress for " + Duration.ofNanos(quiet).toSeconds() + " s",
                        deaths)
                : PartHealth.up(name, "running", deaths);
    }

    @Override
    public synchronized void supervise() {
        Run run = current;
        if (run == null || stopped || restarts.gaveUp()) {
            return;
        }
        long now = System.nanoTime();
        if (run.death == null) {
            long since = run.lastBeat == 0 ? run.started : run.lastBeat;
            if (run.failure != null) {
                died(run, run.failure.toString(), run.failure, now);
            } else if (run.ended) {
                died(run, "its loop ended", null, now);
            } else if (now - since > stuckNanos()) {
                died(
                        run,
                        "stuck: no progress for "
                                + Duration.ofNanos(now - since).toMillis() + " ms",
                        null,
                        now);
                run.thread.interrupt();
            }
        } else if (now - restartAt >= 0) {
            launch();
        }
    }

    private void died(Run run, String why, Throwable cause, long now) {
        run.death = why;
        Optional<Duration> wait = restarts.died(now);
        if (wait.isEmpty()) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    String.format(
                            "%s died (%s), %d times within %s: not restarting it; liveness is DOWN",
                            name, why, restarts.recent(), restarts.policy().window()),
                    cause);
            return;
        }
        restartAt = now + wait.get().toNanos();
        LOG.log(
                System.Logger.Level.ERROR,
                String.format(
                        "%s died (%s); restarting it in %d ms (death %d of %d allowed within %s)",
                        name,
                        why,
                        wait.get().toMillis(),
                        restarts.recent(),
                        restarts.policy().maxRestarts(),
                        restarts.policy().window()),
                cause);
    }

    private long stuckNanos() {
        return restarts.policy().stuckAfter().toNanos();
    }

    /** Stops the loop and waits up to {@code wait} for its thread to end. */
    public void stop(Duration wait) {
        stopped = true;
        Run run = current;
        if (run != null) {
            try {
                run.thread.join(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One thread running the loop. */
    private final class Run implements Heartbeat {
        final long started = System.nanoTime();
        final Thread thread;
        volatile long lastBeat;
        volatile Throwable failure;
        volatile boolean ended;
        /** Set by the supervisor once it counted this run's death. */
        volatile String death;

        Run() {
            // The handler only records what ended the thread; the supervisor acts on it.
            thread = Thread.ofPlatform()
                    .name("ingest-" + name + "-" + threads.incrementAndGet())
                    .daemon()
                    .uncaughtExceptionHandler((t, e) -> failure = e)
                    .unstarted(this::body);
        }

        private void body() {
            try {
                loop.run(this);
            } catch (Exception e) {
                failure = e;
            }
            ended = true;
        }

        @Override
        public void beat() {
            faults.check();
            lastBeat = System.nanoTime();
        }

        @Override
        public boolean active() {
            return !stopped && current == this;
        }
    }
}
