package io.pagestream.shell;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayDeque;
import java.util.Deque;

/** Starts the service's {@link ServicePart}s when the application starts and closes them, in reverse, when it stops. */
@ApplicationScoped
public class ServiceLifecycle {
    private static final System.Logger LOG = System.getLogger(ServiceLifecycle.class.getName());

    private final Deque<ServicePart> started = new ArrayDeque<>();

    void onStart(@Observes StartupEvent event, Instance<ServicePart> parts) throws Exception {
        start(parts);
    }

    void onStop(@Observes ShutdownEvent event) {
        closeAll();
    }

    /** Starts the parts in order; when one fails, it and those before it are closed before the failure goes on. */
    void start(Iterable<ServicePart> parts) throws Exception {
        for (ServicePart part : parts) {
            long begin = System.nanoTime();
            try {
                part.start();
            } catch (Exception | Error e) {
                part.close();
                closeAll();
                throw e;
            }
            started.push(part);
            LOG.log(
                    System.Logger.Level.INFO,
                    () -> String.format("started %s in %d ms", part.name(), (System.nanoTime() - begin) / 1_000_000));
        }
    }

    void closeAll() {
        while (!started.isEmpty()) {
            ServicePart part = started.pop();
            try {
                part.close();
                LOG.log(System.Logger.Level.INFO, () -> "closed " + part.name());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, () -> "closing " + part.name() + " failed", e);
            }
        }
    }
}
