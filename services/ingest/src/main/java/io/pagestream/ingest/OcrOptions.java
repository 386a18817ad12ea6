package io.pagestream.ingest;

import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.schema.OcrMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a document is to be read: the OCR mode and whether answers point to their evidence, as set on the
 * {@code DocumentRequest} and on every {@code PageImage}.
 */
public record OcrOptions(OcrMode mode, boolean groundAnswers) {
    /** The mode names a client may send, as it sends them. */
    public static final String MODES = Arrays.stream(OcrMode.values())
            .map(m -> m.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));

    /**
     * The form fields as sent: {@code mode} one of {@link #MODES} in any case, {@code groundAnswers} true or false in
     * any case; either absent or blank takes its default ({@code defaultMode}, false).
     */
    public static OcrOptions parse(String mode, String groundAnswers, OcrMode defaultMode) throws Rejected {
        return new OcrOptions(mode(mode, defaultMode), groundAnswers(groundAnswers));
    }

    private static OcrMode mode(String raw, OcrMode defaultMode) throws Rejected {
        if (raw == null || raw.isBlank()) {
            return defaultMode;
        }
        String name = raw.strip().toUpperCase(Locale.ROOT);
        for (OcrMode m : OcrMode.values()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new Rejected(Reason.INVALID_REQUEST, "unknown mode '" + raw.strip() + "' (modes are " + MODES + ")");
    }

    private static boolean groundAnswers(String raw) throws Rejected {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new Rejected(
                        Reason.INVALID_REQUEST, "groundAnswers must be true or false, not '" + raw.strip() + "'");
        };
    }
}
