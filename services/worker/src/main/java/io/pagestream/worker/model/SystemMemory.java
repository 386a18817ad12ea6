package io.pagestream.worker.model;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Main memory, the CPU execution provider's "accelerator memory". Free means Linux's {@code MemAvailable} (page cache
 * that can be dropped counts as free, which is what the memory-mapped weights live in), else the JVM's view.
 */
public final class SystemMemory implements AcceleratorMemory {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public OptionalLong totalBytes() {
        OptionalLong fromProc = meminfo("MemTotal:");
        return fromProc.isPresent() ? fromProc : OptionalLong.of(bean().getTotalMemorySize());
    }

    @Override
    public OptionalLong freeBytes() {
        OptionalLong fromProc = meminfo("MemAvailable:");
        return fromProc.isPresent() ? fromProc : OptionalLong.of(bean().getFreeMemorySize());
    }

    private static com.sun.management.OperatingSystemMXBean bean() {
        return (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }

    private static OptionalLong meminfo(String key) {
        try {
            List<String> lines = Files.readAllLines(MEMINFO);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
