package io.pagestream.internvl;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of classpath resources (committed fixtures, bundled configs) as files, for tests. */
public final class TestResources {
    private TestResources() {}

    public static Path path(String name) {
        URL url = TestResources.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("resource missing: " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory of a bundled model config: tiny or mono-internvl-2b. */
    public static Path bundledConfig(String name) {
        return path("model-configs/" + name);
    }
}
