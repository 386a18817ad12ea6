package io.pagestream.ingest.health;

import io.pagestream.ingest.publish.DocumentPublisher;
import java.time.Duration;

/**
 * The slots documents are rendered and published in: DOWN once every slot has been busy, with none coming back, for
 * longer than the bound. Until then a submission that finds no slot is answered 503 BUSY; past it the instance is
 * taken out of rotation, so new work goes to instances that can take it. Slots come back as their documents finish;
 * nothing restarts them, so this part never gives up.
 */
public final class RenderSlots implements Part {
    private final DocumentPublisher publisher;
    private final Duration bound;

    public RenderSlots(DocumentPublisher publisher, Duration bound) {
        this.publisher = publisher;
        this.bound = bound;
    }

    @Override
    public String name() {
        return "render-slots";
    }

    @Override
    public PartHealth health() {
        long busy = publisher.allBusyForNanos();
        String slots = publisher.busy() + " of " + publisher.slots() + " busy";
        return busy > bound.toNanos()
                ? PartHealth.down(
                        name(),
                        slots + ", none free for " + Duration.ofNanos(busy).toSeconds() + " s",
                        0)
                : PartHealth.up(name(), slots, 0);
    }

    @Override
    public void supervise() {}
}
