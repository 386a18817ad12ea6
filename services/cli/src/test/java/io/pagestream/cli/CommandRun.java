package io.pagestream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the command line inside the test JVM: its exit status and what it printed on stdout and stderr. */
public record CommandRun(int exit, String out, String err) {

    /** The whole command line, as {@code ./pagestream args…} runs it. */
    public static CommandRun of(String... args) {
        return of(Main.commandLine(), args);
    }

    /** A command line built by the test (e.g. a command given scripted collaborators). */
    public static CommandRun of(CommandLine command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = command.setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** {@code command --url url args…}: a command run against a stand-in API. */
    static CommandRun against(String url, String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--url";
        all[2] = url;
        System.arraycopy(args, 0, all, 3, args.length);
        return of(all);
    }
}
