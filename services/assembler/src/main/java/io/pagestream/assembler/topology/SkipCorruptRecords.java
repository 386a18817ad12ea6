package io.pagestream.assembler.topology;

import io.pagestream.registry.RegistryException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Skips an input record that cannot be read (not Avro in the wire format, or naming a schema the registry does not
 * have), so one bad record never blocks a partition; its page then counts as missing and the document times out
 * INCOMPLETE. A record that could not be read because the registry could not be asked is not skipped: it may be
 * perfectly valid, so the instance stops instead (and is restarted) rather than lose it.
 */
public final class SkipCorruptRecords implements DeserializationExceptionHandler {
    private static final System.Logger LOG = System.getLogger(SkipCorruptRecords.class.getName());

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (registryUnavailable(exception)) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    String.format(
                            "cannot read %s-%d@%d: the schema registry did not "
                                    + "answer; stopping rather than skipping a record that may be valid",
                            record.topic(), record.partition(), record.offset()),
                    exception);
            return DeserializationHandlerResponse.FAIL;
        }
        LOG.log(
                System.Logger.Level.WARNING,
                String.format(
                        "skipped unreadable record %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), exception.getMessage()));
        return DeserializationHandlerResponse.CONTINUE;
    }

    static boolean registryUnavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof RegistryException registry) {
                return !registry.isNotFound();
            }
        }
        return false;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}
