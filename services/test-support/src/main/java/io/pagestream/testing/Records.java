package io.pagestream.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reading what tests wrote: poll a subscribed consumer until enough records came or the time is up. */
public final class Records {
    private Records() {}

    /**
     * Subscribes to the topics and polls until at least {@code count} records came (all of them are returned, so a
     * duplicate shows) or the timeout passed.
     */
    public static <K, V> List<V> values(
            Consumer<K, V> consumer, Collection<String> topics, int count, Duration timeout) {
        return poll(consumer, topics, count, timeout).stream()
                .map(ConsumerRecord::value)
                .toList();
    }

    public static <K, V> List<ConsumerRecord<K, V>> poll(
            Consumer<K, V> consumer, Collection<String> topics, int count, Duration timeout) {
        consumer.subscribe(topics);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        Wait.atMost(timeout, () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }
}
