package io.pagestream.internvl.checkpoint;

import io.pagestream.internvl.TestResources;
import java.nio.file.Path;

/** Paths of the committed test fixtures. */
final class Fixtures {
    private Fixtures() {}

    static Path resource(String name) {
        return TestResources.path(name);
    }

    /** Directory holding the config.json of the released Mono-InternVL-2B. */
    static Path realConfigDir() {
        return resource("model-configs/mono-internvl-2b");
    }

    /** Directory holding the config.json of a tiny model with the real vocabulary and tile geometry. */
    static Path tinyConfigDir() {
        return resource("model-configs/tiny");
    }
}
