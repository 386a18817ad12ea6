package io.pagestream.ingest;

import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.servicetest.TopicReader;
import io.pagestream.testing.Wait;
import io.pagestream.topics.PageKey;
import io.pagestream.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What downstream sees: every committed record of documents.requests, documents.pages and documents.status, read
 * continuously (read_committed, as the worker and assembler read) and kept by document id. One per test JVM.
 */
public final class TopicRecorder {
    private static volatile TopicRecorder instance;

    private final Map<String, List<SpecificRecord>> byDocument = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<String, SpecificRecord>> all = new CopyOnWriteArrayList<>();

    public static TopicRecorder get() {
        if (instance == null) {
            synchronized (TopicRecorder.class) {
                if (instance == null) {
                    String bootstrap =
                            ConfigProvider.getConfig().getValue(PipelineStackResource.BOOTSTRAP, String.class);
                    String registry = ConfigProvider.getConfig().getValue(PipelineStackResource.REGISTRY, String.class);
                    instance = new TopicRecorder(bootstrap, registry);
                }
            }
        }
        return instance;
    }

    private TopicRecorder(String bootstrap, String registryUrl) {
        Thread t = new Thread(
                () -> {
                    try (TopicReader reader = new TopicReader(
                            bootstrap,
                            registryUrl,
                            List.of(Topics.DOCUMENTS_REQUESTS, Topics.DOCUMENTS_PAGES, Topics.DOCUMENTS_STATUS))) {
                        while (true) {
                            try {
                                for (ConsumerRecord<String, SpecificRecord> r : reader.poll()) {
                                    String id = r.topic().equals(Topics.DOCUMENTS_PAGES.name())
                                            ? PageKey.parse(r.key()).documentId()
                                            : r.key();
                                    byDocument
                                            .computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                                            .add(r.value());
                                    all.add(r);
                                }
                            } catch (KafkaException e) {
                                // the broker may be paused by the back-pressure test: keep polling
                            }
                        }
                    }
                },
                "test-topic-recorder");
        t.setDaemon(true);
        t.start();
    }

    /** The document's records of type {@code type}, once {@code until} holds for them (or fails after 90 s). */
    public <T extends SpecificRecord> List<T> await(String documentId, Class<T> type, Predicate<List<T>> until) {
        Wait.atMost(Duration.ofSeconds(90), () -> until.test(records(documentId, type)));
        List<T> records = records(documentId, type);
        if (!until.test(records)) {
            throw new AssertionError("timed out waiting for " + type.getSimpleName() + " records of " + documentId
                    + "; have " + records);
        }
        return records;
    }

    public <T extends SpecificRecord> List<T> records(String documentId, Class<T> type) {
        return byDocument.getOrDefault(documentId, List.of()).stream()
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    public List<ConsumerRecord<String, SpecificRecord>> all() {
        return all;
    }
}
