package io.pagestream.cli;

import io.pagestream.cli.schemas.SchemaLifecycle;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.ChildProcess;
import io.pagestream.stack.FreePorts;
import io.pagestream.stack.KafkaBrokerProcess;
import io.pagestream.stack.RestartPolicy;
import io.pagestream.stack.SecureKafka;
import io.pagestream.stack.ServiceJvm;
import io.pagestream.stack.ServiceSupervisor;
import io.pagestream.stack.SupervisedService;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The whole pipeline on this machine, every part a child process: a KRaft broker, the Apicurio registry, the topics,
 * and the packaged ingest, worker and assembler services, each on its own port. {@code up} keeps it running,
 * {@code demo} runs documents through it. Once they are ready, a service that exits is started again
 * ({@link ServiceSupervisor}); the broker and the registry are not. {@link #close()} stops every child that was
 * started, services first, and may be called from a shutdown hook while start-up is still under way: what starts after
 * it is stopped at once, and nothing is restarted.
 */
final class LocalPipeline implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** Ports to serve on; 0 picks a free one. */
    record Ports(int kafka, int registry, int ingest, int worker, int assembler) {
        static Ports anyFree() {
            return new Ports(0, 0, 0, 0, 0);
        }
    }

    /** The packaged services ({@code target/quarkus-app/quarkus-run.jar}); a null one is not started. */
    record Services(Path ingest, Path worker, Path assembler) {
        static Services at(Path repositoryRoot) {
            return new Services(
                    jar(repositoryRoot, "ingest"), jar(repositoryRoot, "worker"), jar(repositoryRoot, "assembler"));
        }

        static Path jar(Path repositoryRoot, String service) {
            return repositoryRoot.resolve("services").resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /** The same, less those whose jar has not been built. */
        Services built() {
            return new Services(ifBuilt(ingest), ifBuilt(worker), ifBuilt(assembler));
        }

        List<Path> missing() {
            List<Path> missing = new ArrayList<>();
            for (Path jar : new Path[] {ingest, worker, assembler}) {
                if (jar != null && !Files.isRegularFile(jar)) {
                    missing.add(jar);
                }
            }
            return missing;
        }

        private static Path ifBuilt(Path jar) {
            return jar != null && Files.isRegularFile(jar) ? jar : null;
        }
    }

    /** The worker's checkpoint and any further {@code pagestream.worker.*} settings (full keys). */
    record WorkerModel(Path checkpoint, Map<String, String> settings) {}

    /**
     * The system properties that turn OpenTelemetry on in every service ({@code quarkus.otel.*}); {@link #OFF} leaves
     * each service's own setting, which is off.
     */
    record Tracing(List<String> systemProperties) {
        static final Tracing OFF = new Tracing(List.of());
    }

    /**
     * Where each part answers; a service that was not started is empty. {@code management} maps each started service
     * to its management interface (health, metrics, OpenAPI). {@code kafkaAdmin} are the settings of a Kafka client
     * that may do anything (the bootstrap servers, and on the secured broker the super user's login);
     * {@code logins} are the secured pipeline's principals and API key.
     */
    record Addresses(
            String kafka,
            String registry,
            Optional<String> ingest,
            Optional<String> worker,
            Optional<String> assembler,
            Map<String, String> management,
            Map<String, Object> kafkaAdmin,
            Optional<SecureLogins> logins) {}

    private final Path dir;
    private final PrintWriter log;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** The broker and the registry: nothing restarts them. */
    private final List<ChildProcess> stack = new ArrayList<>();

    /** The plain broker, which {@link #crashAndRestartBroker()} restarts; none when secure. */
    private KafkaBrokerProcess kafka;

    private final ServiceSupervisor supervisor;
    private final Map<String, SupervisedService> services = new LinkedHashMap<>();
    /** This JVM's children from before: anything else it has at {@link #close()} was started for the pipeline. */
    private final Set<Long> preexisting;

    private boolean closed;

    /** Whether the broker is {@link SecureKafka}, each service logs in as its own principal, and ingest wants a key. */
    private final boolean secure;

    /** {@code dir} holds the logs, the broker's data and the services' work directories; it must be empty or new. */
    LocalPipeline(Path dir, PrintWriter log) {
        this(dir, log, false);
    }

    /**
     * With {@code secure}, the broker speaks only SASL_SSL and authorizes by ACL, each service runs as its own
     * {@link ServicePrincipal} ({@link SecureLogins}), and ingest has authentication on with a generated API key. The
     * registry stays plain HTTP either way.
     */
    LocalPipeline(Path dir, PrintWriter log, boolean secure) {
        this(dir, log, secure, RestartPolicy.DEFAULT);
    }

    /** A plain pipeline whose services are restarted under {@code restarts}. */
    LocalPipeline(Path dir, PrintWriter log, RestartPolicy restarts) {
        this(dir, log, false, restarts);
    }

    private LocalPipeline(Path dir, PrintWriter log, boolean secure, RestartPolicy restarts) {
        this.secure = secure;
        this.dir = dir.toAbsolutePath();
        this.log = log;
        this.supervisor = new ServiceSupervisor(restarts, line -> {
            log.println(line);
            log.flush();
        });
        this.preexisting =
                ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * Starts the stack, then the services (together, since the worker's model load dominates), and returns once every
     * one of them reports ready. The worker needs {@code model}; without one it is not started.
     */
    Addresses start(Ports ports, Services jars, WorkerModel model, Tracing tracing)
            throws IOException, InterruptedException {
        return start(ports, jars, model, tracing, 1);
    }

    /**
     * The same with {@code workers} worker instances in one consumer group: the first on {@code ports.worker()}, the
     * others (named {@code worker-2} …, each with its own instance id and log) on free ports.
     */
    Addresses start(Ports ports, Services jars, WorkerModel model, Tracing tracing, int workers)
            throws IOException, InterruptedException {
        log.println("Starting " + (secure ? "Kafka (SASL_SSL, ACLs)" : "Kafka") + " and the schema registry (logs in "
                + dir + ") ...");
        String bootstrapServers;
        Map<String, Object> kafkaAdmin;
        SecureKafka secureKafka = null;
        if (secure) {
            secureKafka = started(SecureKafka.startProcess(dir, ports.kafka()));
            synchronized (this) {
                stack.add(secureKafka.process().orElseThrow());
            }
            bootstrapServers = secureKafka.bootstrapServers();
            kafkaAdmin = secureKafka.adminSettings();
        } else {
            KafkaBrokerProcess kafka = started(KafkaBrokerProcess.start(dir, ports.kafka(), 0));
            synchronized (this) {
                stack.add(kafka.process());
                this.kafka = kafka;
            }
            bootstrapServers = kafka.bootstrapServers();
            kafkaAdmin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        ApicurioRegistry registry = started(ApicurioRegistry.start(dir, ports.registry()));
        synchronized (this) {
            stack.add(registry.process());
        }
        TopicAdmin.createMissing(kafkaAdmin, Topics.newTopics((short) 1));
        try (SchemaRegistryClient schemas = new SchemaRegistryClient(RegistryConfig.of(registry.url()))) {
            int registered = SchemaLifecycle.registerContracts(schemas);
            log.println("Registered " + registered + " schemas (auto-registration is off, as in production)");
        }
        Optional<SecureLogins> logins = Optional.empty();
        if (secureKafka != null) {
            logins = Optional.of(SecureLogins.create(secureKafka, registry.url(), dir.resolve("clients")));
            log.println("Created a SCRAM user with its ACLs and its client properties file for each of "
                    + ServicePrincipal.ALL.stream().map(ServicePrincipal::user).toList() + " in "
                    + dir.resolve("clients"));
        }

        Map<String, String> common = Map.of(
                "pagestream.kafka.bootstrap-servers", bootstrapServers, "pagestream.registry.url", registry.url());
        // Chosen before ingest starts: ingest answers status reads by asking the assembler. Its status URLs stay
        // relative (its own /v1/documents/{id}), which the command line resolves against ingest's address.
        int assemblerPort = jars.assembler() == null ? 0 : FreePorts.orPick(ports.assembler());
        if (jars.ingest() != null) {
            ServiceJvm.Builder ingest = service("ingest", ports.ingest(), jars.ingest(), "512m", common, tracing)
                    .property("java.awt.headless", "true")
                    .property(
                            "pagestream.ingest.work-directory",
                            dir.resolve("ingest-work").toString())
                    .property(
                            "quarkus.http.body.uploads-directory",
                            dir.resolve("ingest-uploads").toString());
            if (jars.assembler() != null) {
                ingest.property("pagestream.ingest.results-url", "http://127.0.0.1:" + assemblerPort);
            }
            if (logins.isPresent()) {
                // Secrets in the environment, not on a command line that ps shows.
                ingest.property("pagestream.ingest.auth.enabled", "true")
                        .environment(
                                "PAGESTREAM_INGEST_AUTH_API_KEYS", logins.get().apiKey())
                        .environment("PAGESTREAM_INGEST_ID_SECRET", logins.get().idSecret());
            }
            start(loggedIn(ingest, logins, ServicePrincipal.INGEST));
        }
        for (int i = 1; jars.worker() != null && model != null && i <= workers; i++) {
            String name = i == 1 ? "worker" : "worker-" + i;
            start(loggedIn(
                    service(name, i == 1 ? ports.worker() : 0, jars.worker(), "1g", common, tracing)
                            .property(
                                    "pagestream.worker.model.checkpoint",
                                    model.checkpoint().toAbsolutePath().toString())
                            .property("pagestream.worker.instance-id", i == 1 ? "local-worker" : "local-worker-" + i)
                            .properties(model.settings()),
                    logins,
                    ServicePrincipal.WORKER));
        }
        if (jars.assembler() != null) {
            start(loggedIn(
                    service("assembler", assemblerPort, jars.assembler(), "384m", common, tracing)
                            // Queries for a document another instance owns are forwarded to this address.
                            .property("quarkus.kafka-streams.application-server", "127.0.0.1:" + assemblerPort)
                            // Static membership, as the worker has: restarted after a crash, it takes its partitions
                            // back at once instead of waiting out the dead member's session (45 s), every document
                            // stalled meanwhile.
                            .property("kafka-streams.group.instance.id", "local-assembler")
                            .property(
                                    "kafka-streams.state.dir",
                                    dir.resolve("assembler-state").toString()),
                    logins,
                    ServicePrincipal.ASSEMBLER));
        }
        for (SupervisedService service : services.values()) {
            service.current().awaitReady(READY_WITHIN, this::isClosed);
            log.println("  " + service.name() + " is ready");
        }
        services.values().forEach(SupervisedService::keepRunning);
        Map<String, String> management = new LinkedHashMap<>();
        services.forEach(
                (name, service) -> management.put(name, service.current().managementUrl()));
        return new Addresses(
                bootstrapServers,
                registry.url(),
                url("ingest"),
                url("worker"),
                url("assembler"),
                Map.copyOf(management),
                kafkaAdmin,
                logins);
    }

    /** On the secured broker, the service logs in as {@code principal}, through its own client properties file. */
    private static ServiceJvm.Builder loggedIn(
            ServiceJvm.Builder service, Optional<SecureLogins> logins, ServicePrincipal principal) {
        logins.ifPresent(l -> service.property(
                "pagestream.kafka.config-file", l.file(principal).toString()));
        return service;
    }

    private Optional<String> url(String service) {
        return Optional.ofNullable(services.get(service)).map(s -> s.current().url());
    }

    private ServiceJvm.Builder service(
            String name, int port, Path jar, String maxHeap, Map<String, String> common, Tracing tracing) {
        return ServiceJvm.builder(name, jar)
                .port(port)
                .maxHeap(maxHeap)
                .jvmOptions(tracing.systemProperties())
                .properties(common)
                .log(dir.resolve(name + ".log"));
    }

    private void start(ServiceJvm.Builder builder) throws IOException {
        SupervisedService service = started(supervisor.start(builder));
        log.println("Starting the " + service.name() + " service on "
                + service.current().url() + " ...");
        synchronized (this) {
            services.put(service.name(), service);
        }
    }

    /** The services started, by name ({@code ingest}, {@code worker}, {@code worker-2} …, {@code assembler}). */
    synchronized Map<String, SupervisedService> services() {
        return Map.copyOf(services);
    }

    /**
     * Kills the broker and starts it again on the same port and data (see {@link KafkaBrokerProcess}); holding this
     * pipeline's lock meanwhile, so that {@link #lost()} never reports the broker dead while it comes back.
     */
    synchronized void crashAndRestartBroker() throws IOException {
        if (kafka == null) {
            throw new IllegalStateException("only the plain local broker can be crashed and restarted");
        }
        ChildProcess before = kafka.process();
        kafka.crashAndRestart();
        stack.set(stack.indexOf(before), kafka.process());
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized <T extends AutoCloseable> T started(T part) {
        if (closed) {
            closeQuietly(part);
            throw new CancellationException("stopping");
        }
        started.push(part);
        return part;
    }

    /** Every child process running now (a restarted service's latest), in start order. */
    synchronized List<ChildProcess> children() {
        List<ChildProcess> all = new ArrayList<>(stack);
        services.values().forEach(service -> all.add(service.current().process()));
        return List.copyOf(all);
    }

    /** The broker or the registry, if one of them is no longer running: nothing restarts them. */
    synchronized Optional<ChildProcess> deadStackPart() {
        return stack.stream().filter(child -> !child.isAlive()).findFirst();
    }

    /** A child that is gone for good, if any: a dead broker or registry, or a service given up on. */
    synchronized Optional<ChildProcess> lost() {
        return deadStackPart().or(() -> services.values().stream()
                .filter(SupervisedService::isGivenUp)
                .map(service -> service.current().process())
                .findFirst());
    }

    /** The end of each service's log (or of every child's when no service runs), for a failure report. */
    String logTails() {
        StringBuilder b = new StringBuilder();
        List<ChildProcess> shown;
        synchronized (this) {
            shown = services.isEmpty()
                    ? List.copyOf(stack)
                    : services.values().stream()
                            .map(service -> service.current().process())
                            .toList();
        }
        for (ChildProcess child : shown) {
            b.append("---- ")
                    .append(child.name())
                    .append(child.isAlive() ? "" : " (exited)")
                    .append(": ")
                    .append(child.log())
                    .append(" ----\n")
                    .append(child.logTail())
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * Stops what was started, last first, so the services leave their groups while Kafka is still there; then any
     * child still starting (the broker and the registry are known only once they answer, and Ctrl-C may come first).
     */
    @Override
    public synchronized void close() {
        closed = true;
        supervisor.close();
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            if (part instanceof SupervisedService service) {
                service.stop(STOP_GRACE);
            } else {
                closeQuietly(part);
            }
        }
        List<ProcessHandle> starting = ProcessHandle.current()
                .children()
                .filter(child -> !preexisting.contains(child.pid()))
                .toList();
        starting.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : starting) {
            try {
                child.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }

    private void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.println("while stopping: " + e);
        }
    }
}
