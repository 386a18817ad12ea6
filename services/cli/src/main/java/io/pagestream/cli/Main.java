package io.pagestream.cli;

import io.pagestream.cli.gpu.GpuCheckCommand;
import io.pagestream.cli.model.ModelCommand;
import io.pagestream.cli.schemas.SchemasCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./pagestream} command line. */
@Command(
        name = "pagestream",
        mixinStandardHelpOptions = true,
        version = "pagestream 0.1.0",
        description = "Documents in, structured OCR and answers out, as Kafka events.",
        subcommands = {
            DemoCommand.class,
            ChaosCommand.class,
            UpCommand.class,
            SubmitCommand.class,
            GetCommand.class,
            WaitCommand.class,
            WatchCommand.class,
            ModelCommand.class,
            SchemasCommand.class,
            GpuCheckCommand.class
        })
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it: enum values (--mode, --format) in any case. */
    static CommandLine commandLine() {
        return new CommandLine(Main.class).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
