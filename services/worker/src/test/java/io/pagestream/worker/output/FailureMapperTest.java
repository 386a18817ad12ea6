package io.pagestream.worker.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.Task;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A PAGE_FAILED event names the document's tenant, so a tenant's consumer of documents.status sees its failures. */
class FailureMapperTest {
    private final FailureMapper mapper =
            new FailureMapper("w1", Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC));
    private final Failure failure = new Failure("CORRUPT_IMAGE", Stage.DECODE, "not an image");

    private DocumentStatus status(PageRef page) {
        return (DocumentStatus)
                mapper.map(page, "documents.pages", 0, 7, failure, 1).get(1).value();
    }

    @Test
    void theStatusCarriesThePagesTenant() {
        PageImage page = PageImage.newBuilder()
                .setDocumentId("d")
                .setPageIndex(1)
                .setPageCount(2)
                .setImage(ByteBuffer.wrap(new byte[] {1}))
                .setMediaType("image/png")
                .setWidth(1)
                .setHeight(1)
                .setTasks(List.of(Task.OCR))
                .setSubmittedAt(Instant.EPOCH)
                .setTenant("acme")
                .build();

        assertEquals("acme", status(PageRef.of(page)).getTenant());
    }

    @Test
    void aPageKnownOnlyByItsKeyHasTheDefaultTenant() {
        assertEquals("default", status(PageRef.ofKey("d/1")).getTenant());
    }
}
