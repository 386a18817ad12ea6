package io.pagestream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompatibilityTest {

    @Test
    void eachLevelNamesItsDirectionsAndVersions() {
        List<String> described = Arrays.stream(Compatibility.values())
                .map(c -> c + " " + c.newReadsOld() + " " + c.oldReadsNew() + " " + c.transitive())
                .toList();
        assertEquals(
                List.of(
                        "NONE false false false",
                        "BACKWARD true false false",
                        "BACKWARD_TRANSITIVE true false true",
                        "FORWARD false true false",
                        "FORWARD_TRANSITIVE false true true",
                        "FULL true true false",
                        "FULL_TRANSITIVE true true true"),
                described);
    }
}
