package io.pagestream.topics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.resource.ResourcePattern;
import org.junit.jupiter.api.Test;

class ServicePrincipalTest {

    @Test
    void everyTopicHasAWriterAndAReader() {
        for (TopicSpec<?> topic : Topics.ALL) {
            assertTrue(
                    ServicePrincipal.ALL.stream().anyMatch(p -> p.writes().contains(topic)),
                    () -> "no principal may write " + topic.name());
            assertTrue(
                    ServicePrincipal.ALL.stream().anyMatch(p -> p.reads().contains(topic)),
                    () -> "no principal may read " + topic.name());
        }
    }

    /** A transactional id one principal may use must never be another's: taking it would fence that one's producer. */
    @Test
    void noTwoPrincipalsShareATransactionalIdOrAGroup() {
        for (ServicePrincipal a : ServicePrincipal.ALL) {
            for (ServicePrincipal b : ServicePrincipal.ALL) {
                if (a != b) {
                    assertDisjoint(a.transactionalIds(), b.transactionalIds(), a.user() + " / " + b.user());
                    assertDisjoint(a.groups(), b.groups(), a.user() + " / " + b.user());
                }
            }
        }
    }

    private static void assertDisjoint(List<ResourcePattern> a, List<ResourcePattern> b, String which) {
        for (ResourcePattern x : a) {
            for (ResourcePattern y : b) {
                assertFalse(
                        x.name().startsWith(y.name()) || y.name().startsWith(x.name()),
                        () -> which + " overlap: " + x + " and " + y);
            }
        }
    }
}
