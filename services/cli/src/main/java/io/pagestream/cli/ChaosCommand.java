package io.pagestream.cli;

import io.pagestream.stack.RestartPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The chaos benchmark: starts the pipeline as {@code up} does (on free ports, the tiny random model unless
 * {@code --model}), runs a baseline of documents through it without faults, then the same mix again while services are
 * killed with SIGKILL and the broker is killed and restarted on its data ({@link ChaosPhase}), reads every topic
 * {@code read_committed} ({@link ChaosAudit}) and prints both runs' figures side by side ({@link ChaosReport}). Exit 0
 * when nothing was lost or duplicated and every document closed, 1 otherwise, 2 on bad usage.
 */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description =
                "Run documents through the local pipeline while killing its parts; report what was lost or duplicated.")
final class ChaosCommand implements Callable<Integer> {
    /**
     * A killed service comes back after 1 s, 2 s, … at most 8 s, and is never given up on: the kills are deliberate, and
     * the run means to see the pipeline recover from each of them.
     */
    static final RestartPolicy RESTARTS = new RestartPolicy(
            Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1), 1000, Duration.ofMinutes(5));

    @Option(
            names = "--pages",
            defaultValue = "100",
            description = "Pages to submit in each run. Default: ${DEFAULT-VALUE}.")
    int pages;

    @Option(
            names = "--kill",
            defaultValue = "worker:2,assembler:1",
            paramLabel = "PART:K,…",
            description =
                    "Services to kill with SIGKILL, K times each (worker, assembler, ingest). Default: ${DEFAULT-VALUE}.")
    String kill;

    @Option(
            names = "--restart-broker",
            defaultValue = "1",
            paramLabel = "K",
            description = "Times to kill the broker and start it again on its data. Default: ${DEFAULT-VALUE}.")
    int brokerRestarts;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seeds the document mix and the moments of the faults. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--baseline-pages",
            paramLabel = "N",
            description = "Pages of the run without faults first (0: none). Default: as --pages.")
    Integer baselinePages;

    @Option(
            names = "--workers",
            defaultValue = "2",
            description = "Worker instances in the consumer group. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(
            names = "--in-flight",
            defaultValue = "40",
            paramLabel = "PAGES",
            description = "Most pages submitted and not yet closed at any time. Default: ${DEFAULT-VALUE}.")
    int inFlight;

    @Option(
            names = "--timeout",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description =
                    "Give up on each run's open documents after this long (they count as lost). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Option(
            names = "--data-dir",
            defaultValue = ".stack/chaos",
            description = "Logs, Kafka data and the generated documents (wiped at start). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(
            names = "--checkout",
            defaultValue = ".",
            description = "The checkout whose packaged services run. Default: the current directory.")
    Path checkout;

    @Mixin
    WorkerModelOptions model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Integer> kills;
        try {
            kills = FaultPlan.parseKills(kill);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        int baseline = baselinePages == null ? pages : baselinePages;
        if (pages < 1 || baseline < 0 || brokerRestarts < 0 || workers < 1 || inFlight < 1) {
            err.println(
                    "--pages, --workers and --in-flight must be at least 1; --baseline-pages and --restart-broker at least 0");
            return 2;
        }
        Optional<LocalLaunch> launch = LocalLaunch.prepare(checkout, model, dataDir, err);
        if (launch.isEmpty()) {
            return 2;
        }
        LocalPipeline.Services jars = launch.get().jars();
        LocalPipeline.WorkerModel worker = launch.get().worker();
        Path dir = launch.get().dir();
        List<ChaosDocuments.Document> baselineDocuments =
                baseline == 0 ? List.of() : ChaosDocuments.write(dir.resolve("documents"), "baseline", baseline, seed);
        List<ChaosDocuments.Document> chaosDocuments =
                ChaosDocuments.write(dir.resolve("documents"), "chaos", pages, seed);
        FaultPlan plan = FaultPlan.random(kills, brokerRestarts, pages, seed);
        if (kills.getOrDefault("worker", 0) > 0 && workers == 1) {
            err.println("(one worker: while it is down, nothing is read)");
        }

        LocalPipeline pipeline = new LocalPipeline(dir, err, RESTARTS);
        Thread stop = new Thread(pipeline::close, "pagestream-chaos-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        ChaosReport report;
        try {
            LocalPipeline.Addresses addresses =
                    pipeline.start(LocalPipeline.Ports.anyFree(), jars, worker, LocalPipeline.Tracing.OFF, workers);
            ChaosPhase.Outcome baselineRun = baseline == 0
                    ? null
                    : new ChaosPhase(pipeline, addresses, err, seed)
                            .run("baseline", baselineDocuments, FaultPlan.NONE, inFlight, timeout);
            ChaosPhase.Outcome chaosRun = new ChaosPhase(pipeline, addresses, err, seed)
                    .run("chaos", chaosDocuments, plan, inFlight, timeout);
            err.println("Reading every topic read_committed ...");
            ChaosAudit audit = ChaosAudit.read(addresses.kafka(), addresses.registry());
            report = new ChaosReport(
                    seed,
                    plan.counts(),
                    baselineRun == null ? null : audit.figures("baseline", baselineRun),
                    audit.figures("chaos", chaosRun));
        } catch (Exception e) {
            err.println("chaos FAILED: " + e);
            err.println(pipeline.logTails());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook stops the pipeline itself.
            }
            err.println("Stopping the pipeline ...");
            pipeline.close();
        }
        if (json) {
            out.println(report.json());
        } else {
            report.text().forEach(out::println);
        }
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
