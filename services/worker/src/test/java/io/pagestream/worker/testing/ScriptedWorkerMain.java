package io.pagestream.worker.testing;

import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.testing.QuietKafka;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.model.ModelRuntime;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.pipeline.PageTracing;
import io.pagestream.worker.pipeline.Pipeline;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The worker's pipeline on a {@link ScriptedEngine}, as a process of its own: what a test runs when the engine is to
 * take the whole process down ({@link ScriptedEngine#HALT}), which no in-process worker could survive. Runs until
 * SIGTERM, then stops gracefully.
 *
 * <p>Arguments: bootstrap servers, registry URL, instance id, consumer group.
 */
public final class ScriptedWorkerMain {
    private ScriptedWorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        QuietKafka.atWarn();
        String bootstrap = args[0];
        String registryUrl = args[1];
        String instanceId = args[2];
        String group = args[3];
        WorkerConfig config = Configs.worker(Map.of(
                "pagestream.worker.instance-id", instanceId,
                "pagestream.worker.batch.max-pages", "4",
                "pagestream.worker.pipeline.shutdown-grace", "5s",
                "pagestream.worker.prompts.ocr-max-new-tokens", "16",
                "pagestream.worker.prompts.question-max-new-tokens", "8"));
        ScriptedEngine engine = new ScriptedEngine(16, 4096, 100, 20);
        ModelRuntime model = ScriptedPipeline.model(engine, Prompts.of(config.prompts()));
        SchemaRegistryClient registry = RegistryClients.of(registryUrl);
        Pipeline pipeline = ScriptedPipeline.create(
                config,
                model,
                ScriptedPipeline.clients(Map.of("bootstrap.servers", bootstrap), group, instanceId, registry),
                registry,
                PageTracing.off());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            engine.close();
            stopped.countDown();
        }));
        pipeline.start();
        System.out.println("scripted worker " + instanceId + " started");
        stopped.await();
    }
}
