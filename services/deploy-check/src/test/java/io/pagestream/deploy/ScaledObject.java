package io.pagestream.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), the fields these manifests use: there is no typed model on Maven Central,
 * so these records are it, and the strict mapper refuses anything else.
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(
            ScaleTarget scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            List<Trigger> triggers) {}

    record ScaleTarget(String apiVersion, String kind, String name) {}

    /** A trigger; its metadata is free-form in KEDA's schema, so the kafka scaler's keys are checked here. */
    record Trigger(String type, Map<String, String> metadata) {
        static final Set<String> KAFKA_KEYS = Set.of(
                "bootstrapServers",
                "consumerGroup",
                "topic",
                "lagThreshold",
                "activationLagThreshold",
                "offsetResetPolicy",
                "allowIdleConsumers",
                "scaleToZeroOnInvalidOffset",
                "excludePersistentLag",
                "limitToPartitionsWithLag",
                "partitionLimitation",
                "sasl",
                "tls",
                "version");

        Trigger {
            if (!"kafka".equals(type)) {
                throw new IllegalArgumentException("only the kafka trigger is modelled, not " + type);
            }
            for (String key : metadata.keySet()) {
                if (!KAFKA_KEYS.contains(key)) {
                    throw new IllegalArgumentException("unknown kafka trigger metadata key " + key);
                }
            }
        }
    }
}
