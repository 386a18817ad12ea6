package io.pagestream.cli.schemas;

import io.pagestream.topics.SchemaPolicy;
import io.pagestream.topics.SchemaPolicy.Contract;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code schemas check}: register's dry run, for CI, and with --expect-registered the services' wait for it. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Report what schemas register would do (unchanged, would register, incompatible), changing nothing.",
            "Exit: 0 ok, 1 registry error, 2 bad usage, 3 incompatible, 4 not registered yet (--expect-registered)."
        })
final class CheckCommand implements Callable<Integer> {
    private final List<Contract> contracts;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--json", description = "One JSON object: {\"command\",\"result\",\"subjects\":[...]}.")
    boolean json;

    @Option(
            names = "--expect-registered",
            description = "Fail (exit 4) unless every schema is registered and every compatibility set: what a"
                    + " service's init container waits for.")
    boolean expectRegistered;

    @Spec
    CommandSpec spec;

    CheckCommand() {
        this(SchemaPolicy.contracts());
    }

    /** With other contracts than the build's: tests. */
    CheckCommand(List<Contract> contracts) {
        this.contracts = List.copyOf(contracts);
    }

    @Override
    public Integer call() {
        return SchemaRun.run(spec, registry, contracts, json, true, expectRegistered, SchemaLifecycle::check);
    }
}
