package io.pagestream.ingest.api;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * The form's own rules, which the framework's parser lets through: one part for each single-valued field (two files
 * or two keys leave it to chance which one counts), and parts sent as they are, since RFC 7578 forbids
 * Content-Transfer-Encoding in multipart/form-data (base64 and quoted-printable are refused; the identity encodings
 * some clients still name are harmless).
 */
final class FormShape {
    static final Set<String> SINGLE_VALUED =
            Set.of("file", "idempotencyKey", "documentId", "metadata", "mode", "groundAnswers");
    private static final Set<String> TRANSFORMING = Set.of("base64", "quoted-printable");
    private static final int NAME_SHOWN = 64;

    private FormShape() {}

    /** What is wrong with {@code form}, if anything. */
    static Optional<String> problem(MultipartFormDataInput form) {
        for (Map.Entry<String, Collection<FormValue>> field : form.getValues().entrySet()) {
            if (field.getKey() == null || field.getKey().isEmpty()) {
                return Optional.of("a part of the form has no name (Content-Disposition: form-data; name=\"...\")");
            }
            String name = shown(field.getKey());
            if (SINGLE_VALUED.contains(field.getKey()) && field.getValue().size() > 1) {
                return Optional.of(
                        "the form has " + field.getValue().size() + " '" + name + "' parts; send one at most");
            }
            for (FormValue part : field.getValue()) {
                String encoding = transferEncoding(part);
                if (encoding != null && TRANSFORMING.contains(encoding.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of("part '" + name + "' is sent with Content-Transfer-Encoding: "
                            + shown(encoding.strip())
                            + ", which multipart/form-data does not allow (RFC 7578): send the bytes as they are");
                }
            }
        }
        return Optional.empty();
    }

    private static String transferEncoding(FormValue part) {
        if (part.getHeaders() == null) {
            return null;
        }
        return part.getHeaders().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Content-Transfer-Encoding")
                        && !h.getValue().isEmpty())
                .map(h -> h.getValue().getFirst())
                .findFirst()
                .orElse(null);
    }

    private static String shown(String text) {
        String s = String.valueOf(text);
        return s.length() <= NAME_SHOWN ? s : s.substring(0, NAME_SHOWN) + "…";
    }
}
