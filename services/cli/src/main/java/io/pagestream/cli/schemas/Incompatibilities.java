package io.pagestream.cli.schemas;

import io.pagestream.registry.Compatibility;
import io.pagestream.registry.SubjectVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Why a schema breaks a compatibility level, found with Avro's own rules against the registered versions the level
 * names. The registry's verdict stands; this explains it (Apicurio says only "not compatible"), and decides for
 * {@code schemas check} when the subject's level is not yet the policy's.
 */
final class Incompatibilities {
    private Incompatibilities() {}

    /** One line per version and direction that fails; empty when {@code candidate} may follow {@code registered}. */
    static List<String> of(Compatibility level, Schema candidate, List<SubjectVersion> registered) {
        List<SubjectVersion> against =
                level.transitive() || registered.isEmpty() ? registered : List.of(registered.getLast());
        List<String> found = new ArrayList<>();
        for (SubjectVersion old : against) {
            if (level.newReadsOld()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old.schema()))
                        .forEach(d -> found.add("cannot read version " + old.version() + ": " + d));
            }
            if (level.oldReadsNew()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), candidate))
                        .forEach(d -> found.add("version " + old.version() + " cannot read it: " + d));
            }
        }
        return found;
    }

    private static List<String> describe(SchemaPairCompatibility pair) {
        return pair.getResult().getIncompatibilities().stream()
                .map(i -> i.getType().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + i.getMessage() + " at "
                        + i.getLocation())
                .toList();
    }
}
