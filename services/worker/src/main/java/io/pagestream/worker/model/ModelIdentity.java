package io.pagestream.worker.model;

import io.pagestream.internvl.convert.Manifest;
import java.util.Locale;

/**
 * What every result names as its model: an id (configured, or the checkpoint directory's name) and a version that
 * pins the exact weights and graphs: the conversion dtype and the head of its cache key, which hashes the checkpoint
 * files and the converter version.
 */
public record ModelIdentity(String modelId, String modelVersion) {

    public static ModelIdentity of(String modelId, Manifest manifest) {
        return new ModelIdentity(
                modelId,
                manifest.dtype().toLowerCase(Locale.ROOT) + "-"
                        + manifest.cacheKey()
                                .substring(0, Math.min(12, manifest.cacheKey().length())));
    }
}
