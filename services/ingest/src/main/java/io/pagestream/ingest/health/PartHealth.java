package io.pagestream.ingest.health;

/**
 * What one background part reports.
 *
 * @param state    UP; DOWN while it is dead, stuck, restarting or not yet started (readiness DOWN); GAVE_UP when it
 *                 died too often to be restarted (liveness DOWN too)
 * @param detail   why, for the health endpoint
 * @param restarts deaths within the restart window
 */
public record PartHealth(String name, State state, String detail, int restarts) {
    public enum State {
        UP,
        DOWN,
        GAVE_UP
    }

    static PartHealth up(String name, String detail, int restarts) {
        return new PartHealth(name, State.UP, detail, restarts);
    }

    static PartHealth down(String name, String detail, int restarts) {
        return new PartHealth(name, State.DOWN, detail, restarts);
    }

    static PartHealth gaveUp(String name, String detail, int restarts) {
        return new PartHealth(name, State.GAVE_UP, detail, restarts);
    }

    public boolean ready() {
        return state == State.UP;
    }

    public boolean live() {
        return state != State.GAVE_UP;
    }
}
