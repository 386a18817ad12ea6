package io.pagestream.assembler.topology;

import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.assembler.query.DocumentView;
import io.pagestream.assembler.query.DocumentViews;
import io.pagestream.assembler.testing.AssemblerDriver;
import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tenant of a request travels into every output of its document, and limits who reads the document. */
class TenantTest {
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

    @Test
    void everyOutputOfACompletedDocumentCarriesItsRequestsTenant() {
        assembler.pipe(requestOf("acme", "doc", 2));
        assembler.pipe(ocr("doc", 0, 2), answers("doc", 0, 2, 0.5), ocr("doc", 1, 2), answers("doc", 1, 2, 0.7));

        DocumentOcr ocr = assembler.documentOcr.readValue();
        DocumentAnswers answers = assembler.documentAnswers.readValue();
        DocumentStatus status = assembler.status.readValue();
        assertEquals(DocumentState.COMPLETED, status.getState());
        assertEquals(
                List.of("acme", "acme", "acme"), List.of(ocr.getTenant(), answers.getTenant(), status.getTenant()));
    }

    @Test
    void anIncompleteDocumentsOutputsCarryItToo() {
        assembler.pipe(requestOf("acme", "doc", 2), ocr("doc", 0, 2), answers("doc", 0, 2, 0.5));
        assembler.advance(Duration.ofMinutes(11));

        List<SpecificRecord> outputs = assembler.drain();
        assertEquals(3, outputs.size(), outputs.toString());
        assertEquals(DocumentState.INCOMPLETE, ((DocumentStatus) outputs.get(2)).getState());
        assertEquals(
                List.of("acme", "acme", "acme"),
                List.of(
                        ((DocumentOcr) outputs.get(0)).getTenant(),
                        ((DocumentAnswers) outputs.get(1)).getTenant(),
                        ((DocumentStatus) outputs.get(2)).getTenant()));
    }

    @Test
    void aRequestFromBeforeTenantsGivesTheDefaultTenant() {
        assembler.pipe(request("doc", 1), ocr("doc", 0, 1));

        assertEquals("default", assembler.documentOcr.readValue().getTenant());
        assertEquals("default", assembler.status.readValue().getTenant());
    }

    @Test
    void onlyTheDocumentsTenantSeesItAndNobodyBeforeItsRequestNamesOne() {
        assembler.pipe(ocr("early", 0, 2));
        assertEquals(Optional.empty(), view("early", "acme"), "no request yet: no tenant to match");
        assertTrue(view("early", null).isPresent(), "a caller naming no tenant sees every document");

        assembler.pipe(requestOf("acme", "doc", 2), ocr("doc", 0, 2));
        assertEquals(Optional.empty(), view("doc", "globex"), "another tenant's document is not there for it");
        assertEquals(Optional.empty(), view("doc", "default"));
        assertEquals(
                DocumentView.State.PROCESSING, view("doc", "acme").orElseThrow().state());
        assertTrue(view("doc", null).isPresent());
    }

    private Optional<DocumentView> view(String documentId, String tenant) {
        return DocumentViews.of(documentId, tenant, assembler.documents(), assembler.pages(), true);
    }
}
