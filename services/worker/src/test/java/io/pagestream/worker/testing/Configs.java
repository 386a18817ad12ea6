package io.pagestream.worker.testing;

import io.pagestream.shell.ClientSettings;
import io.pagestream.shell.ShellConfig;
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
        return config(properties).getConfigMapping(WorkerConfig.class);
    }

    /** The shell's client settings from the same kind of properties, read beside the worker's as Quarkus reads them. */
    public static ClientSettings clients(Map<String, String> properties) {
        return ClientSettings.of(config(properties).getConfigMapping(ShellConfig.class));
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("pagestream.worker.model.checkpoint", "/nonexistent");
        return new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                .withMapping(ShellConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build();
    }
}
