package io.pagestream.shell;

/**
 * A part of a service with a life: started once the application has started, closed when it stops. A CDI bean that
 * implements this is started and closed by {@link ServiceLifecycle}; it does neither itself.
 */
public interface ServicePart extends AutoCloseable {

    /** Builds and starts what this part runs; throwing stops the application from starting. */
    void start() throws Exception;

    /** Stops it and releases what it holds; after a failed or partial {@link #start()} too. */
    @Override
    void close();

    /** The name the start-up and shutdown log lines give this part. */
    default String name() {
        return getClass().getSimpleName();
    }
}
