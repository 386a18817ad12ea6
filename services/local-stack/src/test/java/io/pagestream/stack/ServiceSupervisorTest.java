package io.pagestream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The supervisor on the stub service: a cheap child JVM that is killed, or that cannot start at all. */
// Not @IntegrationTest: that lives in test-support, which depends on this module.
@Tag("integration")
class ServiceSupervisorTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    /** Long enough for an exit to settle and a first restart to be due, had there been one. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final BlockingQueue<String> reported = new LinkedBlockingQueue<>();
    private Path dir;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "supervisor-test-");
    }

    @AfterEach
    void clean() {
        Directories.deleteQuietly(dir);
    }

    @Test
    void aKilledServiceIsStartedAgainWithTheSameCommandLineAndLog() throws Exception {
        ServiceJvm.Builder builder = stub("stub", StubService.class.getName());
        try (ServiceSupervisor supervisor = new ServiceSupervisor(policy(5), reported::add);
                SupervisedService service = supervisor.start(builder)) {
            ServiceJvm first = service.current();
            first.awaitReady(READY_WITHIN);
            service.keepRunning();

            first.kill();
            assertEquals("stub exited with status 137; restarting in 0.2 s (restart 1)", next());
            Awaitility.await().atMost(READY_WITHIN).until(() -> service.current() != first);
            ServiceJvm second = service.current();
            second.awaitReady(READY_WITHIN);
            assertNotEquals(first.pid(), second.pid());
            assertEquals(first.port(), second.port(), "the same API port");
            assertEquals(first.managementPort(), second.managementPort(), "the same management port");
            assertEquals(first.log(), second.log());
            assertEquals(2, count(Files.readString(second.log()), "stub service started"), "appended to");

            second.kill();
            assertEquals("stub exited with status 137; restarting in 0.4 s (restart 2)", next(), "twice as long");
        }
    }

    @Test
    void aServiceThatKeepsDyingSoonIsGivenUpOn() throws Exception {
        try (ServiceSupervisor supervisor = new ServiceSupervisor(policy(3), reported::add);
                SupervisedService service = supervisor.start(stub("broken", "no.such.Main"))) {
            service.keepRunning();
            assertEquals("broken exited with status 1; restarting in 0.2 s (restart 1)", next());
            assertEquals("broken exited with status 1; restarting in 0.4 s (restart 2)", next());
            String last = next();
            assertTrue(
                    last.startsWith("broken exited with status 1; not restarting it: it died too often too soon"),
                    last);
            assertTrue(last.contains(service.current().log().toString()), last);
            assertTrue(service.isGivenUp());
            assertNull(reported.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS), "nothing after giving up");
            assertEquals(
                    3,
                    count(Files.readString(service.current().log()), "Could not find or load main class"),
                    "each try logged");
        }
    }

    @Test
    void nothingIsRestartedOnceTheSupervisorIsClosed() throws Exception {
        ServiceSupervisor supervisor = new ServiceSupervisor(policy(5), reported::add);
        try (SupervisedService service = supervisor.start(stub("stub", StubService.class.getName()))) {
            ServiceJvm first = service.current();
            first.awaitReady(READY_WITHIN);
            service.keepRunning();
            supervisor.close();

            first.kill();
            assertNull(reported.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS), "no restart while stopping");
            assertEquals(first, service.current());
            assertFalse(first.isAlive());
        }
    }

    @Test
    void aStoppedServiceStaysStopped() throws Exception {
        try (ServiceSupervisor supervisor = new ServiceSupervisor(policy(5), reported::add);
                SupervisedService service = supervisor.start(stub("stub", StubService.class.getName()))) {
            service.current().awaitReady(READY_WITHIN);
            service.keepRunning();

            assertTrue(service.stop(Duration.ofSeconds(20)), "ends on SIGTERM");
            assertNull(reported.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS), "a stop is no crash");
            assertFalse(service.current().isAlive());
        }
    }

    /** 0.2 s doubling, every death within the test's run a quick one. */
    private static RestartPolicy policy(int giveUpAfter) {
        return new RestartPolicy(
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                giveUpAfter,
                Duration.ofMinutes(5));
    }

    private ServiceJvm.Builder stub(String name, String mainClass) throws Exception {
        return ServiceJvm.builder(name, StubService.jar(dir, mainClass))
                .maxHeap("64m")
                .log(dir.resolve(name + ".log"));
    }

    private String next() throws InterruptedException {
        String line = reported.poll(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertTrue(line != null, "nothing reported");
        return line;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
