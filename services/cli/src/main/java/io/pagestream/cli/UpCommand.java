package io.pagestream.cli;

import io.pagestream.cli.model.DemoModel;
import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.Directories;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts the pipeline ({@link LocalPipeline}) — a single-node KRaft broker, an Apicurio registry, the topics and
 * whichever of the ingest, worker and assembler services have been built — prints the addresses, and keeps running
 * until Ctrl-C, when it stops every child it started. A service that dies is restarted with backoff; a dead broker or
 * registry stops it all. {@code --secure} runs it as {@code demo --secure} does. The stack is ephemeral: the registry keeps schemas in memory, so
 * Kafka's data is wiped at each start to stay consistent with it.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description =
                "Start the embedded stack (Kafka, schema registry, ingest, worker, assembler) and keep it running until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Kafka bootstrap port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(
            names = "--registry-port",
            defaultValue = "8081",
            description = "Schema registry port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(
            names = "--data-dir",
            defaultValue = ".stack/run",
            description = "Where logs and broker data go (wiped at start). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--json", description = "Print the addresses as one JSON line (for scripts).")
    boolean json;

    @Option(
            names = "--ingest-port",
            defaultValue = "8080",
            description = "Ingest REST port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int ingestPort;

    @Option(
            names = "--assembler-port",
            defaultValue = "8082",
            description = "Assembler REST port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int assemblerPort;

    @Option(
            names = "--worker-port",
            defaultValue = "8083",
            description = "Worker HTTP port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int workerPort;

    @Option(
            names = "--ingest-jar",
            defaultValue = "services/ingest/target/quarkus-app/quarkus-run.jar",
            description =
                    "The packaged ingest service; when the file is missing, up runs without it. Default: ${DEFAULT-VALUE}.")
    Path ingestJar;

    @Option(
            names = "--worker-jar",
            defaultValue = "services/worker/target/quarkus-app/quarkus-run.jar",
            description =
                    "The packaged worker; when the file is missing, up runs without it. Default: ${DEFAULT-VALUE}.")
    Path workerJar;

    @Option(
            names = "--assembler-jar",
            defaultValue = "services/assembler/target/quarkus-app/quarkus-run.jar",
            description =
                    "The packaged assembler; when the file is missing, up runs without it. Default: ${DEFAULT-VALUE}.")
    Path assemblerJar;

    @Option(
            names = "--secure",
            description = "Kafka over SASL_SSL with ACLs (a generated CA), each service as its own principal (client"
                    + " properties files in <data-dir>/clients), ingest behind a generated API key, printed here.")
    boolean secure;

    @Mixin
    WorkerModelOptions model;

    @Mixin
    TracingOptions tracing;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (model.problem() != null) {
            spec.commandLine().getErr().println(model.problem());
            return 2;
        }
        LocalPipeline.Services given = new LocalPipeline.Services(ingestJar, workerJar, assemblerJar);
        LocalPipeline.Services jars = given.built();
        for (Path missing : given.missing()) {
            spec.commandLine().getErr().println("(not built: " + missing + "; run ./pagestream build to include it)");
        }
        LocalPipeline.WorkerModel worker = jars.worker() == null ? null : model.resolve(out);
        Path dir = dataDir.toAbsolutePath();
        Directories.deleteQuietly(dir);
        Files.createDirectories(dir);
        LocalPipeline pipeline = new LocalPipeline(dir, out, secure);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopped.countDown();
                            out.println("Stopping ...");
                            pipeline.close();
                        },
                        "pagestream-stop"));
        LocalPipeline.Addresses a = pipeline.start(
                new LocalPipeline.Ports(kafkaPort, registryPort, ingestPort, workerPort, assemblerPort),
                jars,
                worker,
                tracing.tracing());

        if (json) {
            out.printf(
                    "{\"kafka\":\"%s\",\"registry\":\"%s\",\"topics\":%d,\"pids\":[%s]%s%s%s%s%s%s%s%s}%n",
                    a.kafka(),
                    a.registry(),
                    Topics.ALL.size(),
                    pipeline.children().stream()
                            .map(c -> String.valueOf(c.pid()))
                            .collect(Collectors.joining(",")),
                    field("ingest", a.ingest()),
                    field("worker", a.worker()),
                    field("assembler", a.assembler()),
                    field("ingestManagement", Optional.ofNullable(a.management().get("ingest"))),
                    field("workerManagement", Optional.ofNullable(a.management().get("worker"))),
                    field(
                            "assemblerManagement",
                            Optional.ofNullable(a.management().get("assembler"))),
                    field("apiKey", a.logins().map(SecureLogins::apiKey)),
                    field("clientConfigs", a.logins().map(l -> dir.resolve("clients")
                            .toString())));
        } else {
            out.println();
            out.println("pagestream is up");
            out.println("  Kafka bootstrap   " + a.kafka()
                    + a.logins()
                            .map(l -> "   (SASL_SSL, SCRAM-SHA-512, ACLs; each principal's client properties in "
                                    + dir.resolve("clients") + ")")
                            .orElse(""));
            a.logins()
                    .ifPresent(l -> out.println("  Ingest API key    " + l.apiKey()
                            + "   (X-API-Key: submit --api-key, or PAGESTREAM_API_KEY)"));
            a.logins()
                    .ifPresent(l -> out.println("  Watch             ./pagestream watch --command-config "
                            + l.file(ServicePrincipal.WATCH)));
            out.println("  Schema registry   " + a.registry() + "   (Confluent API)");
            out.println("  Topics            "
                    + String.join(", ", Topics.ALL.stream().map(t -> t.name()).toList()));
            a.ingest()
                    .ifPresent(url -> out.println("  Ingest REST       " + url + "/v1/documents   (OpenAPI "
                            + a.management().get("ingest") + "/q/openapi)"));
            a.ingest()
                    .ifPresent(url -> out.println(
                            "  Documents REST    " + url + "/v1/documents/{id}   (ingest, from the assembler)"));
            a.worker()
                    .ifPresent(url -> out.println(
                            "  Worker status     " + url + "/v1/worker   (model " + worker.checkpoint() + ")"));
            a.management()
                    .forEach((service, url) ->
                            out.println("  " + String.format(Locale.ROOT, "%-18s", service + " health") + url
                                    + "/q/health   (metrics " + url + "/q/metrics)"));
            out.println("  Logs              " + dir);
            out.println("Press Ctrl-C to stop.");
        }
        if (a.worker().isPresent() && model.random()) {
            // On stderr with --json, so scripts still read one line from stdout.
            (json ? spec.commandLine().getErr() : out).println(DemoModel.WARNING);
        }
        out.flush();
        while (stopped.getCount() > 0) {
            // A dead service is the supervisor's to restart, or to give up on while the rest keeps running.
            Optional<ChildProcess> dead = pipeline.deadStackPart();
            if (dead.isPresent() && stopped.getCount() > 0) {
                spec.commandLine()
                        .getErr()
                        .println(dead.get().name() + " exited unexpectedly; stopping. Its log ends with:\n"
                                + dead.get().logTail());
                return 1;
            }
            Thread.sleep(500);
        }
        return 0;
    }

    private static String field(String name, Optional<String> url) {
        return url.map(u -> ",\"" + name + "\":\"" + u + "\"").orElse("");
    }
}
