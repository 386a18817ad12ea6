package io.pagestream.cli.model;

import picocli.CommandLine.Command;

/** {@code ./pagestream model …}: the model runtime's own tools, usable without Kafka. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Mono-InternVL checkpoints: make random ones, convert to ONNX, generate, benchmark, GPU cost "
                + "model, activation ranges.",
        subcommands = {
            InitRandomCommand.class,
            ConvertCommand.class,
            GenerateCommand.class,
            BenchCommand.class,
            CostCommand.class,
            ActivationsCommand.class
        })
public final class ModelCommand {}
