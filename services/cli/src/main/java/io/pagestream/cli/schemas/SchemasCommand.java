package io.pagestream.cli.schemas;

import picocli.CommandLine.Command;

/** {@code ./pagestream schemas …}: the contracts in the schema registry, for deploy jobs and CI pipelines. */
@Command(
        name = "schemas",
        mixinStandardHelpOptions = true,
        description = "Register the Avro contracts of every topic and set each subject's compatibility, or check "
                + "that they would register.",
        subcommands = {RegisterCommand.class, CheckCommand.class})
public final class SchemasCommand {}
