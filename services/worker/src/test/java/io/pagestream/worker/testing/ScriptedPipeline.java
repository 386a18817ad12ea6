package io.pagestream.worker.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.PageImage;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.delivery.KafkaClients;
import io.pagestream.worker.model.EngineSizing;
import io.pagestream.worker.model.ModelIdentity;
import io.pagestream.worker.model.ModelRuntime;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.model.SystemMemory;
import io.pagestream.worker.pipeline.PageTracing;
import io.pagestream.worker.pipeline.Pipeline;
import io.pagestream.worker.pipeline.PipelineMetrics;
import java.time.Clock;
import java.util.Map;

/**
 * The worker's pipeline around a {@link ScriptedEngine} of 16 slots of 4,096 tokens, wired as the service wires the
 * real one: what the Kafka tests and the scripted child worker run.
 */
public final class ScriptedPipeline {
    private ScriptedPipeline() {}

    public static ModelRuntime model(ScriptedEngine engine, Prompts prompts) {
        return new ModelRuntime(
                engine,
                new ModelIdentity("scripted", "v1"),
                new EngineSizing(16, 4096, 1, "test"),
                new SystemMemory(),
                prompts);
    }

    /** Clients joining {@code group} as a static member, four records a poll, registering the result schemas. */
    public static KafkaClients clients(
            Map<String, Object> common, String group, String instanceId, SchemaRegistryClient registry) {
        return new KafkaClients(common, group, instanceId, true, 4, registry, true);
    }

    /** Not yet started. */
    public static Pipeline create(
            WorkerConfig config,
            ModelRuntime model,
            KafkaClients clients,
            SchemaRegistryClient registry,
            PageTracing tracing) {
        return Pipeline.create(
                config,
                model,
                clients,
                new AvroDeserializer<>(registry, PageImage.class),
                new PipelineMetrics(new SimpleMeterRegistry()),
                tracing,
                Clock.systemUTC());
    }
}
