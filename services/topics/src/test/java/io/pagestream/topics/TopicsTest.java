package io.pagestream.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagestream.schema.Contracts;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyContractHasExactlyOneTopic() {
        List<String> valueSchemas = Topics.ALL.stream()
                .map(t -> SpecificData.get().getSchema(t.valueType()).getFullName())
                .sorted()
                .toList();
        assertEquals(
                Contracts.TOPIC_VALUES.stream()
                        .map(Schema::getFullName)
                        .sorted()
                        .toList(),
                valueSchemas);
        assertEquals(
                Topics.ALL.size(),
                Topics.ALL.stream().map(TopicSpec::name).distinct().count());
    }

    @Test
    void topicsKeyedByDocumentAreCoPartitioned() {
        Set<Integer> partitions = Topics.ALL.stream()
                .filter(t -> t.key().equals("documentId"))
                .map(TopicSpec::partitions)
                .collect(Collectors.toSet());
        assertEquals(Set.of(Topics.DOCUMENT_PARTITIONS), partitions);
        assertEquals("documentId/pageIndex", Topics.DOCUMENTS_PAGES.key());
    }

    @Test
    void pageKeysRoundTripAndRejectGarbage() {
        PageKey key = new PageKey("doc-1", 41);
        assertEquals("doc-1/41", key.toString());
        assertEquals(key, PageKey.parse("doc-1/41"));
        for (String bad : new String[] {"doc-1", "/3", "doc-1/", "doc-1/x", "doc-1/-2"}) {
            assertThrows(IllegalArgumentException.class, () -> PageKey.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new PageKey("a/b", 0));
    }

    @Test
    void eachConstantIsNamedAfterItsTopic() {
        for (TopicSpec<?> topic : Topics.ALL) {
            assertEquals(topic.name().toUpperCase(java.util.Locale.ROOT).replace('.', '_'), constantName(topic));
        }
        assertEquals(List.of("pages.ocr", "documents.status"), Topics.names(Topics.PAGES_OCR, Topics.DOCUMENTS_STATUS));
    }

    private static String constantName(TopicSpec<?> topic) {
        for (java.lang.reflect.Field field : Topics.class.getFields()) {
            try {
                if (field.get(null) == topic) {
                    return field.getName();
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no constant for " + topic.name());
    }

    @Test
    void lookupByName() {
        assertEquals(Topics.DOCUMENTS_STATUS, Topics.named("documents.status"));
        assertThrows(java.util.NoSuchElementException.class, () -> Topics.named("documents.nope"));
    }
}
