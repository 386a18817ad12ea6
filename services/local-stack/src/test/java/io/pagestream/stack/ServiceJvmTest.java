package io.pagestream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

// Not @IntegrationTest: that lives in test-support, which depends on this module.
@Tag("integration")
class ServiceJvmTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private Path dir;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "service-jvm-test-");
    }

    @AfterEach
    void clean() {
        Directories.deleteQuietly(dir);
    }

    @Test
    void buildsTheCommandLineOfAQuarkusServiceOnLoopback() {
        Path jar = dir.resolve("quarkus-run.jar");
        List<String> command = ServiceJvm.builder("svc", jar)
                .maxHeap("96m")
                .port(4711)
                .managementPort(4712)
                .jvmOptions(List.of("-Dfrom.elsewhere=1"))
                .property("pagestream.kafka.bootstrap-servers", "127.0.0.1:9092")
                .property("pagestream.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7")
                .command();
        assertEquals(
                List.of(
                        ChildProcess.javaExecutable(),
                        "-Xmx96m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=4711",
                        "-Dquarkus.management.host=127.0.0.1",
                        "-Dquarkus.management.port=4712",
                        "-Dfrom.elsewhere=1",
                        "-Dpagestream.kafka.bootstrap-servers=127.0.0.1:9092",
                        "-Dpagestream.registry.url=http://127.0.0.1:8081/apis/ccompat/v7",
                        "-jar",
                        jar.toAbsolutePath().toString()),
                command);
    }

    @Test
    void startsAwaitsReadinessPassesSettingsAndStops() throws Exception {
        try (ServiceJvm service = ServiceJvm.builder("stub", jar(StubService.class.getName()))
                .maxHeap("64m")
                .property("stub.greeting", "hello")
                .environment("STUB_NAME", "world")
                .log(dir.resolve("stub.log"))
                .start()) {
            service.awaitReady(READY_WITHIN);
            assertEquals("hello world", service.get("/settings").body());
            assertEquals(200, service.getManagement(ServiceJvm.READY_PATH).statusCode(), "readiness on its own port");
            assertEquals(404, service.get(ServiceJvm.READY_PATH).statusCode(), "not on the API port");
            assertTrue(service.pid() > 0
                    && service.pid() != ProcessHandle.current().pid());
            assertTrue(Files.readString(service.log()).contains("stub service started"), service.logTail());

            assertTrue(service.stop(Duration.ofSeconds(20)), "ends on SIGTERM");
            assertFalse(service.isAlive());
        }
    }

    @Test
    void killEndsItAtOnce() throws Exception {
        try (ServiceJvm service = ServiceJvm.builder("stub", jar(StubService.class.getName()))
                .maxHeap("64m")
                .log(dir.resolve("stub.log"))
                .start()) {
            service.awaitReady(READY_WITHIN);
            service.kill();
            assertFalse(service.isAlive());
        }
    }

    @Test
    void aServiceThatExitsDuringStartUpIsReportedWithItsLogTail() throws Exception {
        try (ServiceJvm service = ServiceJvm.builder("broken", jar("no.such.Main"))
                .maxHeap("64m")
                .log(dir.resolve("broken.log"))
                .start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.awaitReady(READY_WITHIN));
            assertTrue(e.getMessage().contains("the broken service on " + service.url() + " exited"), e.getMessage());
            assertTrue(e.getMessage().contains(service.log().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("no.such.Main"), "the log's tail: " + e.getMessage());
        }
    }

    @Test
    void waitingStopsWhenTheCallerIsStopping() throws Exception {
        try (ServiceJvm service = ServiceJvm.builder("stub", jar(StubService.class.getName()))
                .maxHeap("64m")
                .log(dir.resolve("stub.log"))
                .start()) {
            assertThrows(CancellationException.class, () -> service.awaitReady(READY_WITHIN, () -> true));
        }
    }

    private Path jar(String mainClass) throws Exception {
        return StubService.jar(dir, mainClass);
    }
}
