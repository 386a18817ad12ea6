package io.pagestream.deploy;

import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/** A Strimzi {@code KafkaUser}'s simple-authorization ACLs as the Kafka {@link AclBinding}s its operator creates. */
final class KafkaUserAcls {
    private KafkaUserAcls() {}

    static Set<AclBinding> of(KafkaUser user) {
        Set<AclBinding> bindings = new LinkedHashSet<>();
        if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
            return bindings;
        }
        String principal = "User:" + user.getMetadata().getName();
        for (AclRule rule : simple.getAcls()) {
            ResourcePattern resource = resource(rule);
            List<io.strimzi.api.kafka.model.user.acl.AclOperation> operations = new ArrayList<>();
            if (rule.getOperations() != null) {
                operations.addAll(rule.getOperations());
            }
            if (rule.getOperation() != null) {
                operations.add(rule.getOperation());
            }
            AclPermissionType permission =
                    rule.getType() == AclRuleType.DENY ? AclPermissionType.DENY : AclPermissionType.ALLOW;
            String host = rule.getHost() == null ? "*" : rule.getHost();
            for (var operation : operations) {
                bindings.add(new AclBinding(
                        resource, new AccessControlEntry(principal, host, kafkaOperation(operation), permission)));
            }
        }
        return bindings;
    }

    private static ResourcePattern resource(AclRule rule) {
        return switch (rule.getResource()) {
            case AclRuleTopicResource t ->
                new ResourcePattern(ResourceType.TOPIC, t.getName(), pattern(t.getPatternType()));
            case AclRuleGroupResource g ->
                new ResourcePattern(ResourceType.GROUP, g.getName(), pattern(g.getPatternType()));
            case AclRuleTransactionalIdResource t ->
                new ResourcePattern(ResourceType.TRANSACTIONAL_ID, t.getName(), pattern(t.getPatternType()));
            case AclRuleClusterResource c ->
                new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
            default -> throw new IllegalArgumentException("unknown ACL resource " + rule.getResource());
        };
    }

    /** Strimzi's default pattern is literal. */
    private static PatternType pattern(AclResourcePatternType type) {
        return type == AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
    }

    /** Strimzi spells Kafka's operations without underscores ({@code IdempotentWrite}). */
    private static AclOperation kafkaOperation(io.strimzi.api.kafka.model.user.acl.AclOperation operation) {
        return Arrays.stream(AclOperation.values())
                .filter(o -> o.name().replace("_", "").equals(operation.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown ACL operation " + operation));
    }
}
