package io.pagestream.internvl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's peak resident set (Linux {@code VmHWM}), which can be reset between models by writing 5 to
 * {@code /proc/self/clear_refs}. Elsewhere, or where the reset is not allowed, the peak covers the whole run, and
 * {@link #reset()} says so.
 */
final class PeakMemory {
    private PeakMemory() {}

    /** True when the peak now starts again from the current resident set. */
    static boolean reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Peak resident bytes, or −1 where unknown. */
    static long peakBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
