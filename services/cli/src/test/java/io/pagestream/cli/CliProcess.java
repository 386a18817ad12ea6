package io.pagestream.cli;

import io.pagestream.stack.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./pagestream args…} as a process of its own, on this test's class path; its stderr goes to a file. */
final class CliProcess {
    private CliProcess() {}

    static Process start(Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ChildProcess.javaExecutable(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }
}
