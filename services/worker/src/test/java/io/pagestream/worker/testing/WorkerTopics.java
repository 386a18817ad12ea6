package io.pagestream.worker.testing;

import io.pagestream.servicetest.TopicReader;
import io.pagestream.topics.TopicSpec;
import io.pagestream.topics.Topics;
import java.util.List;

/** The topics the worker writes, read back as a downstream consumer would. */
public final class WorkerTopics {
    public static final List<TopicSpec<?>> OUTPUTS =
            List.of(Topics.PAGES_OCR, Topics.PAGES_ANSWERS, Topics.PAGES_DLQ, Topics.DOCUMENTS_STATUS);

    private WorkerTopics() {}

    /** A reader of every output topic from the beginning; the caller closes it. */
    public static TopicReader reader(String bootstrapServers, String registryUrl) {
        return new TopicReader(bootstrapServers, registryUrl, OUTPUTS);
    }
}
