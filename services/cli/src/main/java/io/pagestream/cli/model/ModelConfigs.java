package io.pagestream.cli.model;

import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A config given on the command line: a config.json file, or the name of a bundled one (tiny, mono-internvl-2b). */
final class ModelConfigs {
    static final String BUNDLED = "tiny, mono-internvl-2b";

    private ModelConfigs() {}

    static ModelConfig resolve(String nameOrFile) {
        Path file = Path.of(nameOrFile);
        if (Files.isRegularFile(file)) {
            return ConfigJson.read(file);
        }
        if (Files.isDirectory(file)) {
            return ConfigJson.load(file);
        }
        try (InputStream in = ModelConfigs.class.getResourceAsStream("/model-configs/" + nameOrFile + "/config.json")) {
            if (in == null) {
                throw new IllegalArgumentException("no config file " + nameOrFile + ", and no bundled config of that "
                        + "name (bundled: " + BUNDLED + ")");
            }
            return ConfigJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
