package io.pagestream.internvl.checkpoint;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the committed test fixtures. */
final class Fixtures {
    private Fixtures() {
    }

    static Path resource(String name) {
        URL url = Fixtures.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource missing: " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
