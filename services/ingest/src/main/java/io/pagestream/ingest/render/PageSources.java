package io.pagestream.ingest.render;

import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Rejected;
import java.nio.file.Path;

/** Opens a file of a detected, supported format as a {@link PageSource}, checking the limits on the way. */
public final class PageSources {
    private PageSources() {}

    public static PageSource open(Path file, DocumentFormat format, Limits limits) throws Rejected {
        return switch (format) {
            case PDF -> PdfSource.open(file, limits);
            case TIFF, PNG, JPEG, WEBP -> ImageSource.open(file, format, limits);
            default -> throw new IllegalArgumentException("unsupported format " + format);
        };
    }
}
