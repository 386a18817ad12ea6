package io.pagestream.worker;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.PageImage;
import io.pagestream.shell.ClientSettings;
import io.pagestream.shell.ServicePart;
import io.pagestream.worker.delivery.KafkaClients;
import io.pagestream.worker.model.AcceleratorMemory;
import io.pagestream.worker.model.ModelRuntime;
import io.pagestream.worker.model.PageEngine;
import io.pagestream.worker.pipeline.PageTracing;
import io.pagestream.worker.pipeline.Pipeline;
import io.pagestream.worker.pipeline.PipelineMetrics;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The worker's life, started and closed by the service shell: at start-up (in the background, so health endpoints
 * answer meanwhile) the model is converted if needed, loaded and warmed up, then the pipeline starts and the worker
 * becomes ready; at shutdown the pipeline finishes or hands back its pages before the model is released. A model that
 * cannot be loaded ends the process.
 */
@ApplicationScoped
public class WorkerService implements ServicePart {
    private static final System.Logger LOG = System.getLogger(WorkerService.class.getName());
    /** A poll loop silent for longer is stuck: well under the consumer's {@code max.poll.interval.ms} (5 min). */
    static final Duration POLL_STALL = Duration.ofSeconds(60);

    private final WorkerConfig config;
    private final ClientSettings clients;
    private final SchemaRegistryClient schemas;
    private final MeterRegistry registry;
    private final OpenTelemetry openTelemetry;
    private volatile WorkerState state = WorkerState.STARTING;
    private volatile ModelRuntime model;
    private volatile Pipeline pipeline;

    public WorkerService(
            WorkerConfig config,
            ClientSettings clients,
            SchemaRegistryClient schemas,
            MeterRegistry registry,
            OpenTelemetry openTelemetry) {
        this.config = config;
        this.clients = clients;
        this.schemas = schemas;
        this.registry = registry;
        this.openTelemetry = openTelemetry;
    }

    /** Returns at once: the model loads in the background, and the pipeline starts after it. */
    @Override
    public void start() {
        new Thread(this::startUp, "pagestream-startup").start();
    }

    private void startUp() {
        try {
            ModelRuntime loaded = ModelRuntime.open(config);
            model = loaded;
            registerModelMeters(loaded);
            PipelineMetrics metrics = new PipelineMetrics(registry);
            Pipeline started = Pipeline.create(
                    config,
                    loaded,
                    KafkaClients.of(clients, config, schemas),
                    new AvroDeserializer<>(schemas, PageImage.class),
                    metrics,
                    new PageTracing(openTelemetry),
                    Clock.systemUTC());
            synchronized (this) {
                if (state != WorkerState.STARTING) {
                    // Shutdown began while the model loaded: nothing was consumed yet, release it all.
                    started.close();
                    loaded.close();
                    return;
                }
                pipeline = started;
                started.start();
                state = WorkerState.RUNNING;
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    () -> "worker " + config.instanceId() + " ready: "
                            + loaded.identity().modelId() + " "
                            + loaded.identity().modelVersion() + ", micro-batches of up to "
                            + started.limits().current().pages() + " pages, "
                            + loaded.engine().slots() + " engine slots");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the worker could not start", e);
            state = WorkerState.FAILED;
            Quarkus.asyncExit(1);
        } catch (Error e) {
            state = WorkerState.FAILED;
            Quarkus.asyncExit(1);
            throw e;
        }
    }

    private void registerModelMeters(ModelRuntime loaded) {
        PageEngine engine = loaded.engine();
        Gauge.builder("pagestream.worker.kv.cache.bytes", engine, e -> e.kvCacheBytes())
                .description("Bytes of the engine's preallocated KV cache")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("pagestream.worker.engine.slots", engine, e -> e.slots())
                .description("Prompts the engine decodes together")
                .register(registry);
        AcceleratorMemory memory = loaded.memory();
        memoryGauge("pagestream.worker.accelerator.memory.used", memory, m -> m.usedBytes());
        memoryGauge("pagestream.worker.accelerator.memory.total", memory, m -> m.totalBytes());
        engineCounter("pagestream.worker.engine.decode.steps", "Batched decode steps", engine, e -> e.stats()
                .decodeSteps());
        engineCounter(
                "pagestream.worker.engine.decode.seconds",
                "Time in decode steps",
                engine,
                e -> e.stats().decodeNanos() / 1e9);
        engineCounter(
                "pagestream.worker.engine.prefill.seconds",
                "Time in prefill, shared prefixes included",
                engine,
                e -> e.stats().prefillNanos() / 1e9);
        engineCounter(
                "pagestream.worker.engine.vision.seconds",
                "Time encoding images",
                engine,
                e -> e.stats().visionNanos() / 1e9);
        engineCounter("pagestream.worker.engine.tokens.generated", "Tokens the engine generated", engine, e -> e.stats()
                .generatedTokens());
    }

    private void memoryGauge(String name, AcceleratorMemory memory, Function<AcceleratorMemory, OptionalLong> read) {
        if (read.apply(memory).isPresent()) {
            Gauge.builder(name, memory, m -> read.apply(m).orElse(-1))
                    .description("Memory of the device the model runs on (" + memory.device() + ")")
                    .tag("device", memory.device())
                    .baseUnit("bytes")
                    .register(registry);
        }
    }

    private void engineCounter(String name, String description, PageEngine engine, ToDoubleFunction<PageEngine> f) {
        FunctionCounter.builder(name, engine, f).description(description).register(registry);
    }

    @Override
    public void close() {
        Pipeline running;
        synchronized (this) {
            state = WorkerState.STOPPING;
            running = pipeline;
        }
        if (running != null) {
            running.close();
        }
        if (model != null) {
            model.close();
        }
        state = WorkerState.STOPPED;
    }

    public WorkerState state() {
        WorkerState now = state;
        Pipeline running = pipeline;
        if (now == WorkerState.RUNNING
                && running != null
                && (running.inference().failed() || running.poll().refused().isPresent())) {
            return WorkerState.FAILED;
        }
        return now;
    }

    /** Ready to take pages: running and polling. */
    public boolean ready() {
        Pipeline running = pipeline;
        return state() == WorkerState.RUNNING && running != null && running.healthy(POLL_STALL);
    }

    /** Alive unless broken: failed, or running with a stalled poll loop. */
    public boolean alive() {
        WorkerState now = state();
        Pipeline running = pipeline;
        return now != WorkerState.FAILED && (now != WorkerState.RUNNING || running.healthy(POLL_STALL));
    }

    public Optional<ModelRuntime> model() {
        return Optional.ofNullable(model);
    }

    public Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    public WorkerConfig config() {
        return config;
    }
}
