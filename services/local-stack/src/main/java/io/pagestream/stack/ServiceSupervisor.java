package io.pagestream.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Keeps packaged services running on this machine as a cluster would: a service that exits is started again under a
 * {@link RestartPolicy} (see {@link SupervisedService}), and each restart or give-up is reported as one line. What
 * starts the broker and the registry is not supervised: nothing restarts them. {@link #close()} ends every restart,
 * pending or future, before anything is stopped, so that stopping a stack never starts part of it again.
 */
public final class ServiceSupervisor implements AutoCloseable {
    private final RestartPolicy policy;
    private final Consumer<String> report;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("service-supervisor").factory());
    private final List<SupervisedService> services = new ArrayList<>();
    private boolean closed;

    /** {@code report} receives one line per restart and per service given up on. */
    public ServiceSupervisor(RestartPolicy policy, Consumer<String> report) {
        this.policy = policy;
        this.report = report;
    }

    /**
     * Starts a service; it is restarted when it exits once {@link SupervisedService#keepRunning()} has been called, so a
     * service that cannot start at all fails its caller's readiness wait rather than looping.
     */
    public synchronized SupervisedService start(ServiceJvm.Builder builder) throws IOException {
        if (closed) {
            throw new CancellationException("stopping");
        }
        SupervisedService service = new SupervisedService(builder, policy, timer, report);
        services.add(service);
        return service;
    }

    /** Nothing is started again from now on; the services keep running until each is stopped. */
    @Override
    public synchronized void close() {
        closed = true;
        services.forEach(SupervisedService::stopRestarting);
        timer.shutdownNow();
    }
}
