package io.pagestream.topics;

import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of pagestream, declared once: one typed constant per topic, named after the topic
 * ({@code pages.ocr} is {@link #PAGES_OCR}), used wherever a topic is meant; Kafka's APIs get its {@code name()}.
 * The local stack creates them from this list; the Kubernetes manifests mirror it. Topics keyed by document share
 * one partition count, so the assembler joins them without repartitioning.
 */
public final class Topics {
    /** Partitions of every topic keyed by document id (they must be equal for the assembler's joins). */
    public static final int DOCUMENT_PARTITIONS = 6;
    /** Pages are spread wider than documents, so one large document keeps every worker busy. */
    public static final int PAGE_PARTITIONS = 12;
    /** A page image: 12 tiles of 448² plus the thumbnail is ~2.6 MP, under 8 MB as PNG in the worst case. */
    public static final int PAGE_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** A chunk of a document's OCR or answers (the assembler splits larger documents by page range). */
    public static final int RESULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private static final String BY_DOCUMENT = "documentId";
    private static final String BY_PAGE = "documentId/pageIndex";

    public static final TopicSpec<DocumentRequest> DOCUMENTS_REQUESTS = new TopicSpec<>(
            "documents.requests",
            BY_DOCUMENT,
            DocumentRequest.class,
            DOCUMENT_PARTITIONS,
            retention(Duration.ofDays(7)));
    public static final TopicSpec<PageImage> DOCUMENTS_PAGES = new TopicSpec<>(
            "documents.pages",
            BY_PAGE,
            PageImage.class,
            PAGE_PARTITIONS,
            Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, millis(Duration.ofDays(3)),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(PAGE_MAX_MESSAGE_BYTES)));
    public static final TopicSpec<PageOcr> PAGES_OCR = new TopicSpec<>(
            "pages.ocr", BY_DOCUMENT, PageOcr.class, DOCUMENT_PARTITIONS, retention(Duration.ofDays(7)));
    public static final TopicSpec<PageAnswers> PAGES_ANSWERS = new TopicSpec<>(
            "pages.answers", BY_DOCUMENT, PageAnswers.class, DOCUMENT_PARTITIONS, retention(Duration.ofDays(7)));
    public static final TopicSpec<PageFailure> PAGES_DLQ = new TopicSpec<>(
            "pages.dlq", BY_DOCUMENT, PageFailure.class, DOCUMENT_PARTITIONS, retention(Duration.ofDays(30)));
    public static final TopicSpec<DocumentOcr> DOCUMENTS_OCR = new TopicSpec<>(
            "documents.ocr",
            BY_DOCUMENT,
            DocumentOcr.class,
            DOCUMENT_PARTITIONS,
            Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, millis(Duration.ofDays(30)),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(RESULT_MAX_MESSAGE_BYTES)));
    public static final TopicSpec<DocumentAnswers> DOCUMENTS_ANSWERS = new TopicSpec<>(
            "documents.answers",
            BY_DOCUMENT,
            DocumentAnswers.class,
            DOCUMENT_PARTITIONS,
            Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, millis(Duration.ofDays(30)),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(RESULT_MAX_MESSAGE_BYTES)));
    /** Compacted after a day, so it also serves as the latest status of every document. */
    public static final TopicSpec<DocumentStatus> DOCUMENTS_STATUS = new TopicSpec<>(
            "documents.status",
            BY_DOCUMENT,
            DocumentStatus.class,
            DOCUMENT_PARTITIONS,
            Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, millis(Duration.ofDays(30)),
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, millis(Duration.ofDays(1))));

    public static final List<TopicSpec<?>> ALL = List.of(
            DOCUMENTS_REQUESTS,
            DOCUMENTS_PAGES,
            PAGES_OCR,
            PAGES_ANSWERS,
            PAGES_DLQ,
            DOCUMENTS_OCR,
            DOCUMENTS_ANSWERS,
            DOCUMENTS_STATUS);

    private Topics() {}

    public static List<NewTopic> newTopics(short replicationFactor) {
        return ALL.stream().map(t -> t.toNewTopic(replicationFactor)).toList();
    }

    /** The names of {@code topics}, in order: what Kafka's subscribe and admin calls take. */
    public static List<String> names(TopicSpec<?>... topics) {
        return Arrays.stream(topics).map(TopicSpec::name).toList();
    }

    public static TopicSpec<?> named(String name) {
        return ALL.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no topic named " + name));
    }

    private static Map<String, String> retention(Duration retention) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, millis(retention));
    }

    private static String millis(Duration duration) {
        return String.valueOf(duration.toMillis());
    }
}
