package io.pagestream.topics;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How a document's deletion travels: a tombstone (a null value) on {@code documents.requests} under the document's
 * key, after its request in the same partition, with the document's tenant in a header. Ingest writes it for
 * {@code DELETE /v1/documents/{id}}; the assembler removes the document from its stores and announces DELETED; ingest's
 * accepted-documents table forgets the id. The topic is not compacted, so the tombstone removes nothing from Kafka.
 */
public final class Deletions {
    /** The header naming the deleted document's tenant. */
    public static final String TENANT_HEADER = "pagestream-tenant";

    private Deletions() {}

    /** The headers of a tombstone for a document of {@code tenant}, besides {@code others} (trace context). */
    public static Headers headers(String tenant, Headers others) {
        Headers headers = new RecordHeaders(others.toArray());
        headers.remove(TENANT_HEADER);
        headers.add(TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The tenant a tombstone names, if it names one. */
    public static Optional<String> tenant(Headers headers) {
        Header header = headers.lastHeader(TENANT_HEADER);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
