package io.pagestream.ingest.render.isolated;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Render pools for tests and the bench: the service's renderer, with generous deadlines unless a test sets its own. */
public final class TestRenderPools {
    private TestRenderPools() {}

    /** A pool whose processes keep their temporary files under {@code tmp}, which it empties. */
    public static RenderPool of(Path tmp, int slots) throws IOException {
        return new RenderPool(
                ChildCommand.renderer("256m", List.of(), 0.9f),
                tmp,
                settings(slots, slots, Duration.ofSeconds(60), Duration.ofMinutes(10)));
    }

    static RenderPool.Settings settings(int slots, int perClient, Duration pageTimeout, Duration documentTimeout) {
        return new RenderPool.Settings(
                slots, perClient, pageTimeout, documentTimeout, 100, Duration.ofSeconds(30), 20, Duration.ofMinutes(1));
    }
}
