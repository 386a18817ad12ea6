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

/** {@code schemas register}: what a deploy job runs before the services, which do not register schemas themselves. */
@Command(
        name = "register",
        mixinStandardHelpOptions = true,
        description = {
            "Set each subject's compatibility (BACKWARD; FULL_TRANSITIVE for documents.ocr, documents.answers, "
                    + "documents.status), then register every topic's value schema that is not registered yet. "
                    + "Idempotent. If one schema is incompatible, none is registered.",
            "Exit: 0 done, 1 registry error, 2 bad usage, 3 incompatible (nothing registered)."
        })
final class RegisterCommand implements Callable<Integer> {
    private final List<Contract> contracts;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--json", description = "One JSON object: {\"command\",\"result\",\"subjects\":[...]}.")
    boolean json;

    @Spec
    CommandSpec spec;

    RegisterCommand() {
        this(SchemaPolicy.contracts());
    }

    /** With other contracts than the build's: tests. */
    RegisterCommand(List<Contract> contracts) {
        this.contracts = List.copyOf(contracts);
    }

    @Override
    public Integer call() {
        return SchemaRun.run(spec, registry, contracts, json, false, false, SchemaLifecycle::register);
    }
}
