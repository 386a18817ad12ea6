package io.pagestream.ingest.health;

import java.time.Duration;
import java.util.List;

/**
 * Looks after ingest's background parts from a thread of its own: about once a second it lets each part notice a
 * death or a stall and restart. Readiness is every part UP; liveness is no part given up and this thread itself alive
 * and on time (an Error that kills it, or a JVM too sick to run it, is reason enough for Kubernetes to restart the
 * pod).
 */
public final class Supervisor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
    static final Duration INTERVAL = Duration.ofMillis(500);
    /** Rounds this late mean the JVM cannot run its own supervision. */
    static final Duration LATE = Duration.ofSeconds(30);

    private final List<Part> parts;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastRound = System.nanoTime();

    public Supervisor(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.thread = Thread.ofPlatform().name("ingest-supervisor").daemon().unstarted(this::run);
    }

    public Supervisor start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            for (Part part : parts) {
                try {
                    part.supervise();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "supervising " + part.name() + " failed", e);
                }
            }
            lastRound = System.nanoTime();
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public List<PartHealth> health() {
        return parts.stream().map(Part::health).toList();
    }

    /** The part named {@code name}. */
    public Part part(String name) {
        return parts.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no part " + name));
    }

    /** Null while the supervisor runs on time, else why it does not. */
    public String supervisorProblem() {
        if (!thread.isAlive()) {
            return "the supervisor thread is dead";
        }
        long late = System.nanoTime() - lastRound;
        return late > LATE.toNanos()
                ? "the supervisor is " + Duration.ofNanos(late).toSeconds() + " s late"
                : null;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
