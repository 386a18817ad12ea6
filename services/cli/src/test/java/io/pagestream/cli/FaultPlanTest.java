package io.pagestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void killsAreCountedPerService() {
        assertEquals(Map.of("worker", 20, "assembler", 5), FaultPlan.parseKills("worker:20, assembler:5"));
        assertEquals(Map.of("ingest", 3), FaultPlan.parseKills("ingest:1,ingest:2"));
        assertEquals(Map.of(), FaultPlan.parseKills(""));
    }

    @Test
    void unknownPartsAndBadCountsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultPlan.parseKills("broker:1"))
                .getMessage()
                .contains("broker:1"));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.parseKills("worker"));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.parseKills("worker:many"));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.parseKills("worker:-1"));
    }

    @Test
    void faultsStrikeInOrderWhileThePagesAreProcessed() {
        FaultPlan plan = FaultPlan.random(Map.of("worker", 20, "assembler", 5), 2, 1000, 42);
        assertEquals(Map.of("worker", 20, "assembler", 5, FaultPlan.BROKER, 2), plan.counts());
        assertTrue(plan.faults().stream().allMatch(f -> f.atPages() >= 20 && f.atPages() < 950), plan.toString());
        assertEquals(
                plan.faults().stream()
                        .sorted(Comparator.comparingInt(FaultPlan.Fault::atPages))
                        .toList(),
                plan.faults());
    }

    @Test
    void theSeedDecidesThePlan() {
        Map<String, Integer> kills = Map.of("worker", 3);
        assertEquals(FaultPlan.random(kills, 1, 100, 7), FaultPlan.random(kills, 1, 100, 7));
        assertNotEquals(FaultPlan.random(kills, 1, 100, 7), FaultPlan.random(kills, 1, 100, 8));
    }

    @Test
    void aTinyRunStillHasRoomForItsFaults() {
        FaultPlan plan = FaultPlan.random(Map.of("worker", 2), 1, 3, 1);
        assertEquals(3, plan.faults().size());
        assertTrue(plan.faults().stream().allMatch(f -> f.atPages() >= 1 && f.atPages() < 3), plan.toString());
    }
}
