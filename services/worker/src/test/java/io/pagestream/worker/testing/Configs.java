package io.pagestream.worker.testing;

import io.pagestream.worker.WorkerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A {@link WorkerConfig} from a few properties (defaults for the rest), without Quarkus but with its duration syntax. */
public final class Configs {
    private Configs() {}

    public static WorkerConfig worker(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("pagestream.worker.model.checkpoint", "/nonexistent");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build();
        return config.getConfigMapping(WorkerConfig.class);
    }
}
