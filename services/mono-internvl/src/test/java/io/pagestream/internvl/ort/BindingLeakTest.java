package io.pagestream.internvl.ort;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.engine.ProcessMemory;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every native object of the binding released by its {@code close()}: thousands of full cycles (allocator block,
 * tensors, binding, run) leave resident memory where it was. Runs in the fixed-heap surefire execution, where RSS
 * only moves with native memory.
 */
class BindingLeakTest {
    private static final int WARM_UP = 500;
    private static final int CYCLES = 5_000;
    private static final int FLOATS = 16_384;

    @TempDir
    Path dir;

    @Test
    void cyclesOfEveryNativeObjectLeaveResidentMemoryFlat() throws Exception {
        assumeTrue(
                ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch"),
                "resident memory tracks native memory only with a fixed, pre-touched heap (engine-memory execution)");
        try (OrtSession session = DoublerGraph.open(dir)) {
            long before = 0;
            for (int i = 0; i < WARM_UP + CYCLES; i++) {
                if (i == WARM_UP) {
                    before = ProcessMemory.residentBytes();
                }
                cycle(session, i);
            }
            long growth = ProcessMemory.residentBytes() - before;
            System.out.printf(
                    "binding: %d cycles of allocator + block + 3 tensors + binding + run: resident %+.1f " + "MiB%n",
                    CYCLES, growth / 1048576.0);
            // One leaked 64 KiB block per cycle would be 312 MiB; one leaked OrtValue or binding, several MiB.
            assertTrue(growth < 8L << 20, "resident memory grew " + growth / 1048576.0 + " MiB");
        }
    }

    private static void cycle(OrtSession session, int i) throws Exception {
        try (Device cpu = Device.cpu();
                DeviceAllocator allocator = DeviceAllocator.of(session, cpu);
                DeviceBuffer buffer = allocator.allocate(4L * FLOATS);
                NativeTensor x = buffer.tensor(0, ElementType.FLOAT, 2, FLOATS / 2);
                Arena arena = Arena.ofConfined();
                NativeTensor y =
                        NativeTensor.host(cpu, arena.allocate(4L * FLOATS, 64), ElementType.FLOAT, 2, FLOATS / 2);
                IoBinding binding = IoBinding.of(session)) {
            buffer.host().setAtIndex(JAVA_FLOAT, 0, i);
            binding.bindInput("x", x);
            binding.bindOutput("y", y);
            binding.run();
            try (NativeTensor view = buffer.tensor(4L * FLOATS / 2, ElementType.FLOAT, 1, FLOATS / 2)) {
                assertEquals(FLOATS / 2 * 4L, view.bytes());
            }
        }
    }
}
