package io.pagestream.ingest.render.isolated;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a render process is started: this JVM's own launcher, the options that cap it, its class path and main class.
 *
 * @param jvmOptions options before the main class ({@code -Xmx…}, {@code -XX:+ExitOnOutOfMemoryError} …)
 * @param classPath  what the child loads classes from (see {@link ChildClasspath})
 * @param mainClass  {@link RenderProcess}, or a stand-in speaking its protocol
 * @param args       the main class's arguments
 */
public record ChildCommand(List<String> jvmOptions, List<Path> classPath, String mainClass, List<String> args) {

    public ChildCommand {
        jvmOptions = List.copyOf(jvmOptions);
        classPath = List.copyOf(classPath);
        args = List.copyOf(args);
    }

    /**
     * A {@link RenderProcess} capped at {@code maxHeap} (a {@code -Xmx} value such as {@code 256m}), ended by its
     * first {@code OutOfMemoryError}, plus the operator's {@code extraOptions}.
     */
    public static ChildCommand renderer(String maxHeap, List<String> extraOptions, float jpegQuality) {
        List<String> options = new ArrayList<>(List.of(
                "-Xmx" + maxHeap,
                "-XX:+ExitOnOutOfMemoryError",
                // The children share the service's CPUs, and a small heap gains nothing from a parallel collector.
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-Djava.awt.headless=true"));
        options.addAll(extraOptions);
        return new ChildCommand(
                options,
                ChildClasspath.renderer(),
                RenderProcess.class.getName(),
                List.of(Float.toString(jpegQuality)));
    }

    /**
     * The command line: the running JVM's {@code java}, the options and {@code moreOptions}, the class path, the main
     * class and its arguments.
     */
    List<String> command(List<String> moreOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(moreOptions);
        command.add("-cp");
        command.add(String.join(
                File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
