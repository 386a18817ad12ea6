package io.pagestream.internvl.bench;

import java.lang.management.ManagementFactory;

/** Java heap bytes allocated by a thread: read on the engine's loop thread from a listener, per decode step. */
final class ThreadAllocation {
    private ThreadAllocation() {}

    /** Bytes the calling thread has allocated so far; −1 when the JVM cannot count them. */
    static long currentAllocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        return threads.getCurrentThreadAllocatedBytes();
    }
}
