package io.pagestream.cli.schemas;

import io.pagestream.registry.Compatibility;
import java.util.Optional;

/**
 * What {@code schemas register} did, or {@code schemas check} found, for one subject.
 *
 * @param compatibility the level the policy wants for the subject
 * @param registryCompatibility the level the registry had before this run (its global one for a new subject)
 * @param registered the version that holds the contract: found (unchanged) or just made (registered)
 * @param reason why the contract was refused, when it was
 */
record SubjectReport(
        String subject,
        Compatibility compatibility,
        String registryCompatibility,
        Outcome outcome,
        Optional<Registered> registered,
        Optional<String> reason) {

    enum Outcome {
        UNCHANGED("unchanged"),
        WOULD_REGISTER("would register"),
        REGISTERED("registered"),
        INCOMPATIBLE("incompatible");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    record Registered(int id, int version) {}

    boolean compatibilityChanges() {
        return !compatibility.name().equals(registryCompatibility);
    }
}
