package io.pagestream.avro;

/** Subjects named by topic, as Confluent's default TopicNameStrategy does: {@code <topic>-key}, {@code <topic>-value}. */
public final class Subjects {
    private Subjects() {}

    public static String forTopic(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
