package io.pagestream.internvl.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.internvl.TestResources;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.random.RandomCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The random checkpoint the PyTorch fixtures were computed from, regenerated from {@code reference-fixture/config.json}
 * and {@code checkpoint.json} rather than committed (it is 24 MB). {@link #main} writes it for
 * {@code regenerate_reference_fixture.sh}.
 */
final class FixtureCheckpoint {
    static final String DIR = "reference-fixture";

    private FixtureCheckpoint() {}

    static Path resource(String name) {
        return TestResources.path(name);
    }

    static ModelConfig config() {
        return ConfigJson.load(resource(DIR));
    }

    static void write(Path dir) {
        JsonNode settings;
        try {
            settings = JsonMapper.builder()
                    .build()
                    .readTree(resource(DIR + "/checkpoint.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RandomCheckpoint.write(
                config(),
                settings.get("seed").longValue(),
                DType.valueOf(settings.get("dtype").textValue()),
                dir,
                settings.get("max_shard_bytes").longValue());
    }

    public static void main(String[] args) {
        write(Path.of(args[0]));
    }
}
