package io.pagestream.cli;

import io.pagestream.cli.model.DemoModel;
import io.pagestream.stack.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code demo} and {@code chaos} need before they start a local pipeline: every service built, a usable model
 * (the random demo model written first when none is given, with its warning), and an empty data directory.
 */
record LocalLaunch(LocalPipeline.Services jars, LocalPipeline.WorkerModel worker, Path dir) {

    /** The launch, or empty after saying on {@code err} what stands in its way (the command then exits 2). */
    static Optional<LocalLaunch> prepare(Path checkout, WorkerModelOptions model, Path dataDir, PrintWriter err)
            throws IOException {
        LocalPipeline.Services jars = LocalPipeline.Services.at(checkout);
        if (!jars.missing().isEmpty()) {
            err.println("the services are not built (missing " + jars.missing() + "): run ./pagestream build");
            return Optional.empty();
        }
        if (model.problem() != null) {
            err.println(model.problem());
            return Optional.empty();
        }
        LocalPipeline.WorkerModel worker = model.resolve(err);
        if (model.random()) {
            err.println(DemoModel.WARNING);
        }
        Path dir = dataDir.toAbsolutePath();
        Directories.deleteQuietly(dir);
        Files.createDirectories(dir);
        return Optional.of(new LocalLaunch(jars, worker, dir));
    }
}
