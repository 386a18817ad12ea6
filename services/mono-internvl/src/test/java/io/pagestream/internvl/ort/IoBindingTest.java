package io.pagestream.internvl.ort;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C API binding on the CPU provider: values in place, ORT's errors as exceptions, misuse refused up front. */
class IoBindingTest {
    @TempDir
    Path dir;

    @Test
    void runsOnDeviceMemoryAndWritesOutputsInPlace() throws Exception {
        try (OrtSession session = DoublerGraph.open(dir);
                Device cpu = Device.cpu();
                DeviceAllocator allocator = DeviceAllocator.of(session, cpu);
                DeviceBuffer x = allocator.allocate(4 * 6);
                NativeTensor xTensor = x.tensor(0, ElementType.FLOAT, 2, 3);
                Arena arena = Arena.ofConfined();
                IoBinding binding = IoBinding.of(session)) {
            MemorySegment y = arena.allocate(4 * 6, 64);
            MemorySegment xs = x.host();
            for (int i = 0; i < 6; i++) {
                xs.setAtIndex(JAVA_FLOAT, i, i + 0.5f);
            }
            try (NativeTensor yTensor = NativeTensor.host(cpu, y, ElementType.FLOAT, 2, 3)) {
                binding.bindInput("x", xTensor);
                binding.bindOutput("y", yTensor);
                binding.run();
                for (int i = 0; i < 6; i++) {
                    assertEquals(2 * (i + 0.5f), y.getAtIndex(JAVA_FLOAT, i));
                }
                assertEquals(24, binding.stagedBytes(), "only y is staged in Java memory");

                // Rebinding y onto x itself: ORT writes the output over its input, which is what the KV cache needs.
                binding.bindOutput("y", xTensor);
                binding.run();
                assertEquals(2 * 0.5f, xs.getAtIndex(JAVA_FLOAT, 0));
                assertEquals(2 * 5.5f, xs.getAtIndex(JAVA_FLOAT, 5));
                assertEquals(0, binding.stagedBytes());
            }
            assertEquals(24, allocator.allocatedBytes());
        }
    }

    @Test
    void ortErrorsBecomeExceptionsWithOrtsMessage() throws Exception {
        try (OrtSession session = DoublerGraph.open(dir);
                Device cpu = Device.cpu();
                Arena arena = Arena.ofConfined();
                NativeTensor x = NativeTensor.host(cpu, arena.allocate(4 * 6), ElementType.FLOAT, 2, 3);
                NativeTensor y = NativeTensor.host(cpu, arena.allocate(4 * 8), ElementType.FLOAT, 2, 4);
                IoBinding binding = IoBinding.of(session)) {
            binding.bindInput("x", x);
            binding.bindOutput("y", y);
            OrtException error = assertThrows(OrtException.class, binding::run);
            System.out.println("ORT said: " + error.getMessage());
            assertTrue(
                    error.getMessage().contains("y")
                            || error.getMessage().toLowerCase().contains("shape"),
                    error.getMessage());
            assertFalse(error.getMessage().isBlank());
            assertFalse(error.getCode() == OrtException.OrtErrorCode.ORT_OK);

            // CUDA memory from a session that has only the CPU provider: ORT refuses, and says why.
            try (Device gpu = Device.cuda(0)) {
                OrtException noCuda = assertThrows(OrtException.class, () -> DeviceAllocator.of(session, gpu));
                System.out.println("ORT said: " + noCuda.getMessage());
                assertFalse(noCuda.getMessage().isBlank());
            }
        }
    }

    @Test
    void misuseIsRefusedBeforeNativeCode() throws Exception {
        OrtSession session = DoublerGraph.open(dir);
        Device cpu = Device.cpu();
        DeviceAllocator allocator = DeviceAllocator.of(session, cpu);
        DeviceBuffer buffer = allocator.allocate(4 * 6);
        NativeTensor x = buffer.tensor(0, ElementType.FLOAT, 2, 3);
        IoBinding binding = IoBinding.of(session);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(8);
            assertThrows(IllegalArgumentException.class, () -> binding.bindInput("z", x), "unknown name");
            try (NativeTensor ints = buffer.tensor(0, ElementType.INT32, 2, 3)) {
                assertThrows(IllegalArgumentException.class, () -> binding.bindInput("x", ints), "element type");
            }
            try (NativeTensor flat = buffer.tensor(0, ElementType.FLOAT, 6)) {
                assertThrows(IllegalArgumentException.class, () -> binding.bindInput("x", flat), "rank");
            }
            try (NativeTensor three = buffer.tensor(0, ElementType.FLOAT, 3, 2)) {
                assertThrows(IllegalArgumentException.class, () -> binding.bindInput("x", three), "fixed dim");
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () -> buffer.tensor(4, ElementType.FLOAT, 2, 3),
                    "past the end of the buffer");
            assertThrows(IllegalArgumentException.class, () -> buffer.tensor(0, ElementType.FLOAT, 2, -3));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> NativeTensor.host(cpu, small, ElementType.FLOAT, 2, 3),
                    "larger than its segment");
            assertThrows(
                    IllegalArgumentException.class,
                    () -> NativeTensor.host(cpu, MemorySegment.ofArray(new float[6]), ElementType.FLOAT, 2, 3),
                    "heap memory");
        }
        binding.bindInput("x", x);
        binding.bindOutput("y", x);
        binding.run();

        buffer.close();
        assertThrows(IllegalStateException.class, binding::run, "memory under a bound tensor freed");
        assertThrows(IllegalStateException.class, () -> buffer.tensor(0, ElementType.FLOAT, 2, 3));
        assertThrows(IllegalStateException.class, buffer::host);
        DeviceBuffer other = allocator.allocate(4 * 6);
        NativeTensor fresh = other.tensor(0, ElementType.FLOAT, 2, 3);
        binding.bindInput("x", fresh);
        binding.bindOutput("y", fresh);
        binding.run();
        fresh.close();
        assertThrows(IllegalStateException.class, binding::run, "tensor closed");
        assertThrows(IllegalStateException.class, () -> binding.bindInput("x", fresh));
        NativeTensor again = other.tensor(0, ElementType.FLOAT, 2, 3);
        binding.bindInput("x", again);
        binding.bindOutput("y", again);
        session.close();
        assertThrows(IllegalStateException.class, binding::run, "session closed");
        assertThrows(IllegalStateException.class, () -> allocator.allocate(16));
        assertThrows(IllegalStateException.class, () -> IoBinding.of(session));
        binding.close();
        assertThrows(IllegalStateException.class, () -> binding.bindInput("x", again));
        again.close();
        allocator.close();
        assertEquals(0, allocator.allocatedBytes(), "closing the allocator frees what was still open");
        assertThrows(IllegalStateException.class, () -> allocator.allocate(16));
        cpu.close();
        assertThrows(
                IllegalStateException.class,
                () -> NativeTensor.host(cpu, Arena.ofAuto().allocate(24), ElementType.FLOAT, 2, 3));
        binding.close();
        cpu.close();
    }
}
