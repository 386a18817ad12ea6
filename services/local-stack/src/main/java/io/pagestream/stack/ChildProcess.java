package io.pagestream.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose output goes to a log file, stopped with SIGTERM and, after a grace period, SIGKILL — together
 * with anything it started, so that stopping the stack leaves no orphans.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
        return start(name, command, Map.of(), log);
    }

    /**
     * Starts {@code command} with {@code environment} added to this JVM's. Output is appended to {@code log}, so a
     * child restarted on the same log keeps its predecessor's lines for diagnosis.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start(), log);
    }

    /** The java launcher of this very JVM, so children run on the same JDK (21+) as their parent. */
    public static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Completes when the child has ended, however it ended. */
    public CompletableFuture<ChildProcess> onExit() {
        return process.onExit().thenApply(ended -> this);
    }

    /** How it ended, once it has: its exit status, or 128 + the signal that killed it (137 for SIGKILL). */
    public int exitStatus() {
        return process.exitValue();
    }

    /** The last lines of the child's output, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /**
     * SIGTERM, then SIGKILL if the child has not ended after {@code grace}; anything it started is killed too.
     * Returns whether it ended by itself.
     */
    public boolean stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean graceful = false;
        try {
            graceful = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!graceful) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return graceful;
    }

    /** SIGKILL without warning: no shutdown hook runs, which is what a crash looks like to its peers. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }
}
