package io.pagestream.cli;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The one-line JSON form of a decoded record that {@code watch --json} and {@code demo --json} print. */
final class RecordJson {
    private RecordJson() {}

    /** {@code {"topic","partition","offset","key","value"}}, the value in Avro's JSON rendering. */
    static String of(ConsumerRecord<String, GenericRecord> record) {
        return "{\"topic\":\"" + record.topic() + "\",\"partition\":" + record.partition()
                + ",\"offset\":" + record.offset()
                + ",\"key\":"
                + (record.key() == null ? "null" : GenericData.get().toString(record.key()))
                + ",\"value\":" + GenericData.get().toString(record.value()) + "}";
    }
}
