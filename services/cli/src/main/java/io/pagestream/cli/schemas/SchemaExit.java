package io.pagestream.cli.schemas;

/** Exit statuses of {@code schemas register} and {@code schemas check} besides 0 and picocli's 2 (bad usage). */
final class SchemaExit {
    static final int OK = 0;
    /** The registry could not be reached, refused the credentials, or answered something unexpected. */
    static final int FAILED = 1;
    /** A contract breaks its subject's compatibility level: nothing was registered. */
    static final int INCOMPATIBLE = 3;
    /** check --expect-registered: a contract is not registered yet, or a subject's level not yet set. */
    static final int NOT_REGISTERED = 4;

    private SchemaExit() {}
}
