package io.pagestream.ingest.health;

import io.pagestream.ingest.publish.DocumentPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The document publisher's transactional producers as one part: DOWN while a slot's producer failed (Kafka timed out,
 * the producer was fenced, an Error went through a publish) and is not rebuilt yet. Rebuilding happens in the
 * background, so an instance out of rotation (readiness DOWN, no traffic) still recovers: after the policy's backoff,
 * doubling while rebuilds keep failing. A death is a change from no failed slot to some; further failures while it
 * is down (Kafka still unreachable) do not count again, so a Kafka outage does not use up the restarts.
 */
public final class DocumentProducers implements Part {
    private static final System.Logger LOG = System.getLogger(DocumentProducers.class.getName());

    private final DocumentPublisher publisher;
    private final Restarts restarts;
    private boolean down;
    private int attempts;
    private long nextAttempt;
    private Thread rebuilding;

    public DocumentProducers(DocumentPublisher publisher, RestartPolicy policy) {
        this.publisher = publisher;
        this.restarts = new Restarts(policy);
    }

    @Override
    public String name() {
        return "document-producers";
    }

    @Override
    public PartHealth health() {
        int deaths = restarts.recent();
        if (restarts.gaveUp()) {
            return PartHealth.gaveUp(
                    name(),
                    "failed " + deaths + " times within " + restarts.policy().window(),
                    deaths);
        }
        List<String> failed = publisher.failedSlots();
        return failed.isEmpty()
                ? PartHealth.up(name(), publisher.slots() + " producers", deaths)
                : PartHealth.down(name(), "failed, rebuilding: " + String.join("; ", failed), deaths);
    }

    @Override
    public synchronized void supervise() {
        if (restarts.gaveUp() || rebuilding != null && rebuilding.isAlive()) {
            return;
        }
        List<String> failed = publisher.failedSlots();
        long now = System.nanoTime();
        if (failed.isEmpty()) {
            if (down) {
                LOG.log(System.Logger.Level.INFO, "document producers rebuilt");
            }
            down = false;
            return;
        }
        if (!down) {
            down = true;
            attempts = 0;
            Optional<Duration> wait = restarts.died(now);
            if (wait.isEmpty()) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        String.format(
                                "document producers failed (%s), %d times within %s: not rebuilding them; "
                                        + "liveness is DOWN",
                                failed, restarts.recent(), restarts.policy().window()));
                return;
            }
            nextAttempt = now + wait.get().toNanos();
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format(
                            "document producers failed (%s); rebuilding them in %d ms (failure %d of %d allowed "
                                    + "within %s)",
                            failed,
                            wait.get().toMillis(),
                            restarts.recent(),
                            restarts.policy().maxRestarts(),
                            restarts.policy().window()));
        }
        if (now - nextAttempt >= 0) {
            attempts++;
            nextAttempt = now + restarts.policy().backoffAfter(attempts + 1).toNanos();
            // Off the supervisor's thread: initTransactions may block for the publish timeout.
            rebuilding = Thread.ofVirtual().name("ingest-producer-rebuild").start(publisher::rebuildFailed);
        }
    }
}
