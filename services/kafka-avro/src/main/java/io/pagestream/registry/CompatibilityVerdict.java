package io.pagestream.registry;

import java.util.List;

/**
 * The registry's answer to "may this schema become the subject's next version?", tested under the subject's
 * compatibility level.
 *
 * @param messages the registry's reasons when it gives them (Confluent does with {@code verbose=true}; Apicurio
 *     does not), else empty
 */
public record CompatibilityVerdict(boolean compatible, List<String> messages) {
    public CompatibilityVerdict {
        messages = List.copyOf(messages);
    }
}
