package io.pagestream.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.registry.Compatibility;
import io.pagestream.schema.DocumentStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaPolicyTest {

    /** The policy docs/deploying.md states: the outputs other teams read evolve FULL_TRANSITIVE, the rest BACKWARD. */
    @Test
    void everyTopicHasOneContractUnderItsValueSubject() {
        List<String> contracts = SchemaPolicy.contracts().stream()
                .map(c -> c.subject() + " " + c.compatibility())
                .toList();
        assertEquals(
                List.of(
                        "documents.requests-value BACKWARD",
                        "documents.pages-value BACKWARD",
                        "pages.ocr-value BACKWARD",
                        "pages.answers-value BACKWARD",
                        "pages.dlq-value BACKWARD",
                        "documents.ocr-value FULL_TRANSITIVE",
                        "documents.answers-value FULL_TRANSITIVE",
                        "documents.status-value FULL_TRANSITIVE"),
                contracts);
        assertEquals(
                Topics.ALL.stream().map(TopicSpec::name).toList(),
                SchemaPolicy.contracts().stream()
                        .map(SchemaPolicy.Contract::topic)
                        .toList());
    }

    @Test
    void aContractIsTheSchemaItsTopicsRecordsAreWrittenWith() {
        SchemaPolicy.Contract status = SchemaPolicy.contracts().getLast();
        assertEquals(DocumentStatus.getClassSchema(), status.schema());
        assertEquals(Compatibility.FULL_TRANSITIVE, SchemaPolicy.compatibility(Topics.DOCUMENTS_STATUS));
    }
}
