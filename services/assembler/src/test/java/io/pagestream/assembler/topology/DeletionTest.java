package io.pagestream.assembler.topology;

import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.assembler.query.DocumentViews;
import io.pagestream.assembler.testing.AssemblerDriver;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.topics.Deletions;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tombstone on documents.requests removes the document from the stores and announces DELETED. */
class DeletionTest {
    private final AssemblerDriver assembler = AssemblerDriver.inMemory();

    @AfterEach
    void stop() {
        assembler.close();
    }

    private static DocumentRequest requestOf(String tenant, String documentId, int pages) {
        return DocumentRequest.newBuilder(request(documentId, pages, "Who?"))
                .setTenant(tenant)
                .build();
    }

    private void delete(String documentId, String tenant) {
        assembler.requests.pipeInput(new TestRecord<>(
                documentId, null, Deletions.headers(tenant, new RecordHeaders()), AssemblerDriver.START));
    }

    private long pagesOf(String documentId) {
        try (var pages = assembler.pages().prefixScan(documentId + "/", new StringSerializer())) {
            long n = 0;
            for (; pages.hasNext(); pages.next()) {
                n++;
            }
            return n;
        }
    }

    @Test
    void aCompletedDocumentLeavesTheStoresAndADeletedEventNamesItsTenant() {
        assembler.pipe(requestOf("acme", "doc", 2));
        assembler.pipe(ocr("doc", 0, 2), answers("doc", 0, 2, 0.5), ocr("doc", 1, 2), answers("doc", 1, 2, 0.7));
        assembler.pipe(requestOf("acme", "other", 1), ocr("other", 0, 1));
        assertEquals(
                DocumentState.COMPLETED,
                assembler.status.readValuesToList().getFirst().getState());
        assembler.drain();

        delete("doc", "acme");

        assertNull(assembler.documents().get("doc"));
        assertEquals(0, pagesOf("doc"));
        assertEquals(Optional.empty(), DocumentViews.of("doc", "acme", assembler.documents(), assembler.pages(), true));
        assertTrue(assembler.documents().get("other") != null, "other documents stay");
        assertEquals(1, pagesOf("other"));
        List<DocumentStatus> events = assembler.status.readValuesToList();
        assertEquals(1, events.size(), events.toString());
        DocumentStatus deleted = events.getFirst();
        assertEquals(DocumentState.DELETED, deleted.getState());
        assertEquals("doc", deleted.getDocumentId());
        assertEquals("acme", deleted.getTenant());
        assertEquals(2, deleted.getPageCount());
        assertEquals(List.of(), assembler.drain(), "no outputs besides the status");
    }

    @Test
    void anOpenDocumentIsForgottenAndASecondRequestStartsItAfresh() {
        assembler.pipe(requestOf("acme", "doc", 2), ocr("doc", 0, 2), answers("doc", 0, 2, 0.5));
        delete("doc", "acme");
        assertEquals(DocumentState.DELETED, assembler.status.readValue().getState());
        assertNull(assembler.documents().get("doc"));

        assembler.pipe(ocr("doc", 1, 2), answers("doc", 1, 2, 0.7));
        assertEquals(List.of(), assembler.drain(), "a late result alone completes nothing");

        assembler.pipe(requestOf("acme", "doc", 2), ocr("doc", 0, 2), answers("doc", 0, 2, 0.5));
        DocumentStatus completed = assembler.status.readValue();
        assertEquals(DocumentState.COMPLETED, completed.getState());
        assertEquals(2, assembler.documentOcr.readValue().getPages().size());
    }

    @Test
    void aDocumentTheAssemblerNoLongerHoldsIsAnnouncedWithTheTombstonesTenant() {
        delete("gone", "globex");

        DocumentStatus deleted = assembler.status.readValue();
        assertEquals(DocumentState.DELETED, deleted.getState());
        assertEquals("globex", deleted.getTenant());
        assertEquals(0, deleted.getPageCount());
    }
}
