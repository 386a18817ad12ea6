package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagestream.cli.Samples.Sample;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.schema.OcrMode;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole pipeline once, end to end: starts it on free ports ({@link LocalPipeline}), submits the bundled samples
 * through ingest's REST API in markdown mode, prints progress and each document's markdown (see {@link DemoText}) and
 * answers as they arrive, asks each document's status URL (ingest's, answered from the assembler) for its state, and stops
 * everything.
 * Exit 0 when every sample completed with all its pages read and all its questions answered, and its status URL says
 * so; 1 with the services' log
 * tails when something failed or the timeout passed; 130 after Ctrl-C. With {@code --secure} the pipeline runs secured
 * ({@link LocalPipeline}, {@link SecureLogins}) and the checks of {@link SecureChecks} are made and printed along the
 * way; any FAIL fails the demo.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Start the whole pipeline, run the bundled sample documents through it, print their OCR and answers, stop.")
final class DemoCommand implements Callable<Integer> {
    private static final List<String> TOPICS = Topics.names(
            Topics.DOCUMENTS_STATUS,
            Topics.PAGES_OCR,
            Topics.PAGES_ANSWERS,
            Topics.PAGES_DLQ,
            Topics.DOCUMENTS_OCR,
            Topics.DOCUMENTS_ANSWERS);

    @Mixin
    WorkerModelOptions model;

    @Mixin
    TracingOptions tracing;

    @Option(
            names = "--samples",
            defaultValue = "samples",
            paramLabel = "DIR",
            description = "Folder with " + Samples.INDEX + " and the documents it lists. Default: ${DEFAULT-VALUE}.")
    Path samples;

    @Option(
            names = "--json",
            description =
                    "Print each documents.ocr, documents.answers and documents.status record as one JSON line (as watch --json does) instead of text.")
    boolean json;

    @Option(
            names = "--timeout",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description =
                    "Give up (exit 1) when the samples are not all done this long after the start: 90s, 10m, 1h or PT10M. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(
            names = "--data-dir",
            defaultValue = ".stack/demo",
            description = "Logs and Kafka data (wiped at start). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(
            names = "--secure",
            description = "Run it secured: Kafka over SASL_SSL with ACLs (a generated CA), each service as its own"
                    + " principal, ingest behind a generated API key; prints the checks made, PASS or FAIL.")
    boolean secure;

    @Option(
            names = "--checkout",
            defaultValue = ".",
            description =
                    "The checkout whose packaged services run (services/*/target/quarkus-app). Default: the current directory.")
    Path checkout;

    @Spec
    CommandSpec spec;

    private volatile boolean interrupted;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        List<Sample> documents;
        try {
            documents = Samples.load(samples);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Optional<LocalLaunch> launch = LocalLaunch.prepare(checkout, model, dataDir, err);
        if (launch.isEmpty()) {
            return 2;
        }
        LocalPipeline.Services jars = launch.get().jars();
        LocalPipeline.WorkerModel worker = launch.get().worker();
        Path dir = launch.get().dir();
        LocalPipeline pipeline = new LocalPipeline(dir, err, secure);
        Thread stop = new Thread(
                () -> {
                    interrupted = true;
                    err.println("Stopping ...");
                    pipeline.close();
                },
                "pagestream-demo-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return run(pipeline, jars, documents, worker, out, err, start);
        } catch (Exception e) {
            if (interrupted) {
                return 130;
            }
            // A service that did not start, a sample refused: the message says which, the logs say why.
            err.println("demo FAILED: " + e.getMessage());
            err.println(pipeline.logTails());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and stops the pipeline itself.
            }
            if (!interrupted) {
                err.println("Stopping the pipeline ...");
                pipeline.close();
            }
        }
    }

    private int run(
            LocalPipeline pipeline,
            LocalPipeline.Services jars,
            List<Sample> documents,
            LocalPipeline.WorkerModel worker,
            PrintWriter out,
            PrintWriter err,
            long start)
            throws Exception {
        long deadline = start + timeout.toNanos();
        LocalPipeline.Addresses addresses =
                pipeline.start(LocalPipeline.Ports.anyFree(), jars, worker, tracing.tracing());
        err.printf(
                Locale.ROOT,
                "The pipeline is up after %.0f s. Submitting %d sample documents ...%n",
                seconds(start),
                documents.size());
        DemoDocuments progress = new DemoDocuments(out, err, json, model.random());
        Map<String, URI> statusUrls = new LinkedHashMap<>();
        Optional<SecureLogins> logins = addresses.logins();
        SecureChecks checks = new SecureChecks(err);
        Credentials credentials =
                logins.map(l -> Credentials.apiKey(l.apiKey())).orElseGet(Credentials::none);
        if (logins.isPresent()) {
            checkKafka(checks, addresses.kafka(), logins.get());
            checkUnauthenticatedSubmit(checks, addresses.ingest().orElseThrow(), documents.getFirst(), err);
        }
        // The demo follows every page, so it reads the internal topics too: as the super user on the secured broker.
        try (DecodingConsumer consumer =
                new DecodingConsumer(addresses.kafkaAdmin(), RegistryConfig.of(addresses.registry()), TOPICS, true)) {
            IngestClient ingest = new IngestClient(addresses.ingest().orElseThrow(), credentials, 3, err);
            for (Sample sample : documents) {
                // A fresh key: the stack is new at every run, and the demo means to process every sample again.
                JsonNode accepted = ingest.submit(
                        sample.file(), sample.questions(), OcrMode.MARKDOWN, false, "demo-" + UUID.randomUUID());
                int pages = accepted.path("pageCount").asInt();
                err.printf(
                        "%s: accepted as document %s, %d page%s, %d question%s%n",
                        sample.name(),
                        accepted.path("documentId").asText(),
                        pages,
                        pages == 1 ? "" : "s",
                        sample.questions().size(),
                        sample.questions().size() == 1 ? "" : "s");
                progress.submitted(accepted.path("documentId").asText(), sample, pages);
                URI statusUrl = URI.create(addresses.ingest().orElseThrow())
                        .resolve(accepted.path("statusUrl").asText());
                statusUrls.put(sample.name(), statusUrl);
                if (logins.isPresent()) {
                    checks.readRightAfterAccepted(
                            sample.name(), statusUrl, new DocumentQuery(credentials).get(statusUrl, false));
                    checks.unauthenticated(
                            sample.name() + ": GET " + statusUrl,
                            new DocumentQuery().get(statusUrl, false).httpStatus());
                }
            }
            while (!progress.allFinished() && !interrupted) {
                if (System.nanoTime() > deadline) {
                    return failed(pipeline, progress, err, "the samples were not all done after " + timeout);
                }
                var dead = pipeline.lost();
                if (dead.isPresent()) {
                    return failed(pipeline, progress, err, "the " + dead.get().name() + " process exited");
                }
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(250))) {
                    progress.accept(record);
                }
            }
        }
        if (interrupted) {
            return 130;
        }
        if (!progress.allSucceeded()) {
            return failed(pipeline, progress, err, "not every sample completed");
        }
        DocumentQuery query = new DocumentQuery(credentials);
        for (Map.Entry<String, URI> entry : statusUrls.entrySet()) {
            DocumentQuery.Answer answer = query.get(entry.getValue(), false);
            err.printf(
                    "%s: GET %s -> %d %s (%d of %d pages done)%n",
                    entry.getKey(),
                    entry.getValue(),
                    answer.httpStatus(),
                    answer.state(),
                    answer.pagesDone(),
                    answer.pageCount());
            if (!answer.completed()) {
                return failed(
                        pipeline, progress, err, "the status URL of " + entry.getKey() + " did not answer COMPLETED");
            }
        }
        if (logins.isPresent()) {
            checks.outputsReadAsWatch(
                    logins.get().file(ServicePrincipal.WATCH), progress.documentIds(), Duration.ofSeconds(60));
            if (!checks.allPassed()) {
                return failed(pipeline, progress, err, "security checks failed: " + checks.failures());
            }
            err.println("Every security check passed.");
        }
        err.printf(
                Locale.ROOT,
                "All %d samples done in %.0f s.%s%n",
                documents.size(),
                seconds(start),
                model.random()
                        ? " (Remember: a random model; its text is meaningless. --model DIR runs a real one.)"
                        : "");
        return 0;
    }

    private static void checkKafka(SecureChecks checks, String bootstrapServers, SecureLogins logins)
            throws IOException {
        checks.plaintextRefused(bootstrapServers);
        checks.wrongPasswordRefused(bootstrapServers, logins.file(ServicePrincipal.WATCH), ServicePrincipal.WATCH);
        checks.writeRefused(
                bootstrapServers,
                logins.file(ServicePrincipal.WORKER),
                ServicePrincipal.WORKER,
                Topics.DOCUMENTS_REQUESTS.name());
    }

    private static void checkUnauthenticatedSubmit(
            SecureChecks checks, String ingestUrl, Sample sample, PrintWriter err) throws Exception {
        int status;
        try {
            new IngestClient(ingestUrl, Credentials.none(), 0, err)
                    .submit(sample.file(), sample.questions(), OcrMode.MARKDOWN, false, "demo-" + UUID.randomUUID());
            status = 202;
        } catch (IngestClient.Refused e) {
            status = e.status();
        }
        checks.unauthenticated("POST " + ingestUrl + "/v1/documents", status);
    }

    private static int failed(LocalPipeline pipeline, DemoDocuments progress, PrintWriter err, String why) {
        err.println("demo FAILED: " + why);
        progress.summaries().forEach(line -> err.println("  " + line));
        err.println(pipeline.logTails());
        return 1;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
