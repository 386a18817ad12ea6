package io.pagestream.internvl.bench;

import java.lang.management.ManagementFactory;

/**
 * Java heap bytes allocated so far by the (single) running engine's loop thread, found by its name: the figure the
 * benchmark divides by decode steps to show what a step allocates.
 */
final class EngineThread {
    private static final String NAME = "pagestream-engine";

    private EngineThread() {
    }

    /** −1 when the JVM cannot count per-thread allocation or no engine thread runs. */
    static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(NAME) && thread.isAlive()) {
                return threads.getThreadAllocatedBytes(thread.threadId());
            }
        }
        return -1;
    }
}
