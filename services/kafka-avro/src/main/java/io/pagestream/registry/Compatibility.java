package io.pagestream.registry;

/**
 * A subject's compatibility level, as the Confluent API names them: which registered versions a new schema is
 * tested against (the latest, or every one for the {@code _TRANSITIVE} forms) and in which direction (BACKWARD: the
 * new schema reads data written with the old; FORWARD: the old reads the new; FULL: both).
 */
public enum Compatibility {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** Whether a consumer with the new schema must read what the registered versions wrote. */
    public boolean newReadsOld() {
        return this != NONE && !name().startsWith("FORWARD");
    }

    /** Whether a consumer with a registered version must read what the new schema writes. */
    public boolean oldReadsNew() {
        return name().startsWith("FORWARD") || name().startsWith("FULL");
    }

    /** Whether the new schema is tested against every registered version rather than the latest. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }
}
