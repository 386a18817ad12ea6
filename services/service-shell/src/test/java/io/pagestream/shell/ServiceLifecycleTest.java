package io.pagestream.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceLifecycleTest {
    final List<String> events = new ArrayList<>();

    ServicePart part(String name, Exception failure) {
        return new ServicePart() {
            @Override
            public void start() throws Exception {
                events.add("start " + name);
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public void close() {
                events.add("close " + name);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Test
    void startsInOrderAndClosesInReverse() throws Exception {
        ServiceLifecycle lifecycle = new ServiceLifecycle();
        lifecycle.start(List.of(part("publisher", null), part("reader", null)));
        lifecycle.closeAll();
        lifecycle.closeAll();
        assertEquals(List.of("start publisher", "start reader", "close reader", "close publisher"), events);
    }

    @Test
    void aFailedStartClosesWhatStartedAndStopsTheApplication() {
        ServiceLifecycle lifecycle = new ServiceLifecycle();
        IllegalStateException failure = new IllegalStateException("no broker");
        Exception thrown = assertThrows(
                IllegalStateException.class,
                () -> lifecycle.start(List.of(part("a", null), part("b", failure), part("c", null))));
        assertSame(failure, thrown);
        lifecycle.closeAll();
        assertEquals(List.of("start a", "start b", "close b", "close a"), events);
    }
}
