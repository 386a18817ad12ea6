package io.pagestream.topics;

import static io.pagestream.topics.Topics.DOCUMENTS_ANSWERS;
import static io.pagestream.topics.Topics.DOCUMENTS_OCR;
import static io.pagestream.topics.Topics.DOCUMENTS_PAGES;
import static io.pagestream.topics.Topics.DOCUMENTS_REQUESTS;
import static io.pagestream.topics.Topics.DOCUMENTS_STATUS;
import static io.pagestream.topics.Topics.PAGES_ANSWERS;
import static io.pagestream.topics.Topics.PAGES_DLQ;
import static io.pagestream.topics.Topics.PAGES_OCR;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One Kafka user of pagestream and everything it may do: least privilege, written down once. The ACLs follow from
 * {@link Topics} and from the group ids and transactional ids the services use (each service's defaults; a deployment
 * that changes one changes its ACL too). READ and WRITE each imply DESCRIBE; nothing else is allowed to anyone but
 * the cluster's super user, who creates the topics.
 *
 * @param user the SCRAM user name (principal {@code User:<user>}; with mTLS, the certificate's subject)
 * @param reads topics it consumes
 * @param writes topics it produces to
 * @param groups consumer groups it joins or commits offsets for
 * @param transactionalIds transactional ids its producers use
 * @param ownTopics topics it creates and manages itself (Kafka Streams' changelog and repartition topics)
 */
public record ServicePrincipal(
        String user,
        List<TopicSpec<?>> reads,
        List<TopicSpec<?>> writes,
        List<ResourcePattern> groups,
        List<ResourcePattern> transactionalIds,
        List<ResourcePattern> ownTopics) {

    /** Ingest's publishing slots: {@code pagestream-ingest-<instance>-<slot>}. */
    public static final String INGEST_TRANSACTIONAL_ID_PREFIX = "pagestream-ingest-";
    /** Ingest's claims on documents with a deterministic id: {@code pagestream-document-<documentId>}. */
    public static final String DOCUMENT_CLAIM_TRANSACTIONAL_ID_PREFIX = "pagestream-document-";
    /** The worker's producer: {@code pagestream-worker-<instance>}. */
    public static final String WORKER_TRANSACTIONAL_ID_PREFIX = "pagestream-worker-";
    /** {@code pagestream.worker.kafka.group-id}'s default. */
    public static final String WORKER_GROUP = "pagestream-worker";
    /** Kafka Streams' {@code application.id}: the group, and the prefix of its transactional ids and own topics. */
    public static final String ASSEMBLER_APPLICATION_ID = "pagestream-assembler";
    /** {@code pagestream watch} joins a fresh group {@code pagestream-watch-<uuid>} each time. */
    public static final String WATCH_GROUP_PREFIX = "pagestream-watch-";

    /**
     * Renders pages; remembers accepted documents by reading its own requests back, and with a tenant quota the
     * statuses for when they end (assigned, no group).
     */
    public static final ServicePrincipal INGEST = new ServicePrincipal(
            "pagestream-ingest",
            List.of(DOCUMENTS_REQUESTS, DOCUMENTS_STATUS),
            List.of(DOCUMENTS_REQUESTS, DOCUMENTS_PAGES, DOCUMENTS_STATUS),
            List.of(),
            List.of(
                    prefixed(ResourceType.TRANSACTIONAL_ID, INGEST_TRANSACTIONAL_ID_PREFIX),
                    prefixed(ResourceType.TRANSACTIONAL_ID, DOCUMENT_CLAIM_TRANSACTIONAL_ID_PREFIX)),
            List.of());

    /** Reads pages, writes their results, dead letters and failure statuses, committing offsets in its transaction. */
    public static final ServicePrincipal WORKER = new ServicePrincipal(
            "pagestream-worker",
            List.of(DOCUMENTS_PAGES),
            List.of(PAGES_OCR, PAGES_ANSWERS, PAGES_DLQ, DOCUMENTS_STATUS),
            List.of(literal(ResourceType.GROUP, WORKER_GROUP)),
            List.of(prefixed(ResourceType.TRANSACTIONAL_ID, WORKER_TRANSACTIONAL_ID_PREFIX)),
            List.of());

    /** Kafka Streams with exactly-once: requests and page results in, documents out. */
    public static final ServicePrincipal ASSEMBLER = new ServicePrincipal(
            "pagestream-assembler",
            List.of(DOCUMENTS_REQUESTS, PAGES_OCR, PAGES_ANSWERS, PAGES_DLQ),
            List.of(DOCUMENTS_OCR, DOCUMENTS_ANSWERS, DOCUMENTS_STATUS),
            List.of(literal(ResourceType.GROUP, ASSEMBLER_APPLICATION_ID)),
            List.of(prefixed(ResourceType.TRANSACTIONAL_ID, ASSEMBLER_APPLICATION_ID + "-")),
            List.of(prefixed(ResourceType.TOPIC, ASSEMBLER_APPLICATION_ID + "-")));

    /** {@code pagestream watch} with its default topics: what other teams consume. */
    public static final ServicePrincipal WATCH = new ServicePrincipal(
            "pagestream-watch",
            List.of(DOCUMENTS_OCR, DOCUMENTS_ANSWERS, DOCUMENTS_STATUS),
            List.of(),
            List.of(prefixed(ResourceType.GROUP, WATCH_GROUP_PREFIX)),
            List.of(),
            List.of());

    public static final List<ServicePrincipal> ALL = List.of(INGEST, WORKER, ASSEMBLER, WATCH);

    public ServicePrincipal {
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        groups = List.copyOf(groups);
        transactionalIds = List.copyOf(transactionalIds);
        ownTopics = List.copyOf(ownTopics);
    }

    public String principal() {
        return "User:" + user;
    }

    /** The ACLs that allow exactly what this principal does, from any host. */
    public List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        reads.forEach(t -> acls.add(allow(literal(ResourceType.TOPIC, t.name()), AclOperation.READ)));
        writes.forEach(t -> acls.add(allow(literal(ResourceType.TOPIC, t.name()), AclOperation.WRITE)));
        groups.forEach(g -> acls.add(allow(g, AclOperation.READ)));
        transactionalIds.forEach(id -> acls.add(allow(id, AclOperation.WRITE)));
        ownTopics.forEach(t -> acls.add(allow(t, AclOperation.ALL)));
        return List.copyOf(acls);
    }

    /** Every principal's ACLs: what a secured cluster needs for pagestream. */
    public static List<AclBinding> allAcls() {
        return ALL.stream().flatMap(p -> p.acls().stream()).toList();
    }

    private AclBinding allow(ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal(), "*", operation, AclPermissionType.ALLOW));
    }

    private static ResourcePattern literal(ResourceType type, String name) {
        return new ResourcePattern(type, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(ResourceType type, String prefix) {
        return new ResourcePattern(type, prefix, PatternType.PREFIXED);
    }
}
