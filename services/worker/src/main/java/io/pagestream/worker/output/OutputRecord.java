package io.pagestream.worker.output;

import org.apache.avro.specific.SpecificRecord;

/** One record to publish: every output topic is keyed by document id. */
public record OutputRecord(String topic, String key, SpecificRecord value) {}
