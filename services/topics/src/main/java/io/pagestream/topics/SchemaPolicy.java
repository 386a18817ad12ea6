package io.pagestream.topics;

import io.pagestream.avro.Subjects;
import io.pagestream.registry.Compatibility;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * How each topic's value contract may evolve, decided here and nowhere else: {@code pagestream schemas register}
 * sets it on each subject, and the registry then refuses any version that breaks it (docs/deploying.md).
 * <ul>
 * <li>BACKWARD for the topics only pagestream reads: we deploy consumers before producers, so a new schema needs to
 * read what the latest one wrote, and nothing older is kept long enough to matter.</li>
 * <li>FULL_TRANSITIVE for the outputs other teams consume ({@link #SHARED_OUTPUTS}): they upgrade on their own
 * schedule and may replay the topics from the start, so every version must read, and be read by, every other.</li>
 * </ul>
 */
public final class SchemaPolicy {
    /** The topics other teams consume. */
    public static final List<TopicSpec<?>> SHARED_OUTPUTS =
            List.of(Topics.DOCUMENTS_OCR, Topics.DOCUMENTS_ANSWERS, Topics.DOCUMENTS_STATUS);

    private SchemaPolicy() {}

    public static Compatibility compatibility(TopicSpec<?> topic) {
        return SHARED_OUTPUTS.contains(topic) ? Compatibility.FULL_TRANSITIVE : Compatibility.BACKWARD;
    }

    /** Every contract: the value schema of each topic of {@link Topics#ALL}, in that order. */
    public static List<Contract> contracts() {
        return Topics.ALL.stream()
                .map(t -> new Contract(
                        t.name(),
                        Subjects.forTopic(t.name(), false),
                        SpecificData.get().getSchema(t.valueType()),
                        compatibility(t)))
                .toList();
    }

    /** A topic's value schema as it is registered: under its subject (TopicNameStrategy), with its compatibility. */
    public record Contract(String topic, String subject, Schema schema, Compatibility compatibility) {}
}
