package io.pagestream.ingest.health;

/** A background part of ingest that the {@link Supervisor} looks after. */
public interface Part {
    String name();

    /** Its health now. */
    PartHealth health();

    /** Called by the supervisor about once a second: notice a death or a stall, restart when its wait is over. */
    void supervise();
}
