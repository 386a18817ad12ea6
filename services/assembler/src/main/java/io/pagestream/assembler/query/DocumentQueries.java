package io.pagestream.assembler.query;

import io.pagestream.assembler.state.DocumentProgress;
import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.topology.AssemblerTopology;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Interactive queries: a document lives in the stores of the one instance whose task owns its partition. This finds
 * that instance and, when it is this one, reads the document from the local stores.
 */
@ApplicationScoped
public class DocumentQueries {
    private static final StringSerializer KEYS = new StringSerializer();

    /** What a query found. */
    public sealed interface Outcome {}

    public record Found(DocumentView view) implements Outcome {}

    public record NotFound() implements Outcome {}

    /** Another instance owns the document; its {@code application.server} is {@code owner}. */
    public record Elsewhere(HostInfo owner) implements Outcome {}

    /** No instance can answer now (starting, rebalancing, restoring); asking again shortly will. */
    public record Unavailable(String reason) implements Outcome {}

    private final KafkaStreams streams;
    private final HostInfo self;

    DocumentQueries(
            KafkaStreams streams,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    public HostInfo self() {
        return self;
    }

    /** @param tenant the caller's tenant: another tenant's document is not found; null: any document */
    public Outcome find(String documentId, String tenant, boolean withResults) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return new Unavailable("the assembler is " + state);
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(AssemblerTopology.DOCUMENTS_STORE, documentId, KEYS);
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return new Unavailable("no instance owns the document's partition yet");
        }
        if (!self.equals(owner.activeHost())) {
            return new Elsewhere(owner.activeHost());
        }
        try {
            ReadOnlyKeyValueStore<String, DocumentProgress> documents =
                    streams.store(StoreQueryParameters.fromNameAndType(
                                    AssemblerTopology.DOCUMENTS_STORE,
                                    QueryableStoreTypes.<String, DocumentProgress>keyValueStore())
                            .withPartition(owner.partition()));
            ReadOnlyKeyValueStore<String, PageResult> pages = streams.store(StoreQueryParameters.fromNameAndType(
                            AssemblerTopology.PAGES_STORE, QueryableStoreTypes.<String, PageResult>keyValueStore())
                    .withPartition(owner.partition()));
            return DocumentViews.of(documentId, tenant, documents, pages, withResults)
                    .<Outcome>map(Found::new)
                    .orElseGet(NotFound::new);
        } catch (InvalidStateStoreException e) {
            return new Unavailable("the document's store is not queryable now: " + e.getMessage());
        }
    }
}
