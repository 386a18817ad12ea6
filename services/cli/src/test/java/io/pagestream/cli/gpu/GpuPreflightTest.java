package io.pagestream.cli.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each missing piece, in the order the checks run, with the probes scripted. */
class GpuPreflightTest {
    static final Set<String> CUDA12 =
            Set.of("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10");

    /** A machine: which device node, nvidia-smi answer, loadable libraries and build. */
    record Machine(boolean node, GpuPreflight.Smi smi, Set<String> libraries, boolean gpuBuild)
            implements GpuPreflight.Probes {
        @Override
        public boolean deviceNode() {
            return node;
        }

        @Override
        public GpuPreflight.Smi nvidiaSmi() {
            return smi;
        }

        @Override
        public boolean loadable(String soname) {
            return libraries.contains(soname);
        }

        @Override
        public boolean gpuBuild() {
            return gpuBuild;
        }
    }

    static final GpuPreflight.Smi H100 = new GpuPreflight.Smi(true, "NVIDIA H100 80GB HBM3", "550.54.15", "12.4", null);

    static Machine complete() {
        Set<String> libraries = new HashSet<>(CUDA12);
        libraries.add("libcudnn.so.9");
        return new Machine(true, H100, libraries, true);
    }

    static Machine without(String library) {
        Machine m = complete();
        Set<String> libraries = new HashSet<>(m.libraries());
        libraries.remove(library);
        return new Machine(m.node(), m.smi(), libraries, m.gpuBuild());
    }

    @Test
    void everythingPresent() {
        GpuPreflight.Result result = GpuPreflight.check(complete());
        assertTrue(result.ok());
        assertNull(result.missing());
        assertTrue(result.message().contains("NVIDIA H100 80GB HBM3"), result.message());
    }

    @Test
    void noGpuComesFirstEvenWithNothingElse() {
        GpuPreflight.Result result = GpuPreflight.check(new Machine(
                false, new GpuPreflight.Smi(false, null, null, null, "nvidia-smi not found"), Set.of(), false));
        assertEquals(GpuPreflight.Missing.GPU, result.missing());
        assertEquals(
                "no NVIDIA GPU: /dev/nvidia0 does not exist and nvidia-smi does not work (nvidia-smi not found)",
                result.message());
    }

    @Test
    void aDeviceNodeAloneIsAGpu() {
        Machine m = complete();
        GpuPreflight.Result result = GpuPreflight.check(new Machine(
                true, new GpuPreflight.Smi(false, null, null, null, "nvidia-smi exited 9"), m.libraries(), true));
        assertTrue(result.ok(), result.message());
    }

    @Test
    void aDriverTooOldForCuda12() {
        Machine m = complete();
        GpuPreflight.Result result = GpuPreflight.check(
                new Machine(true, new GpuPreflight.Smi(true, "Tesla T4", "470.82", "11.4", null), m.libraries(), true));
        assertEquals(GpuPreflight.Missing.CUDA, result.missing());
        assertTrue(result.message().contains("supports CUDA 11.4 at most"), result.message());
    }

    @Test
    void noCuda12RuntimeNamesTheVersionFound() {
        Machine m = without("libcudart.so.12");
        Set<String> libraries = new HashSet<>(m.libraries());
        libraries.add("libcudart.so.13");
        GpuPreflight.Result result = GpuPreflight.check(new Machine(true, H100, libraries, true));
        assertEquals(GpuPreflight.Missing.CUDA, result.missing());
        assertTrue(
                result.message()
                        .startsWith("no CUDA 12 libraries: libcudart.so.12 cannot be loaded (found CUDA 13: "
                                + "libcudart.so.13)"),
                result.message());

        GpuPreflight.Result none = GpuPreflight.check(without("libcudart.so.12"));
        assertTrue(
                none.message().startsWith("no CUDA 12 libraries: libcudart.so.12 cannot be loaded;"), none.message());
    }

    @Test
    void eachCuda12LibraryIsChecked() {
        for (String library : CUDA12) {
            GpuPreflight.Result result = GpuPreflight.check(without(library));
            assertEquals(GpuPreflight.Missing.CUDA, result.missing(), library);
            assertTrue(result.message().contains(library), result.message());
        }
    }

    @Test
    void noCudnn9NamesCudnn8() {
        Machine m = without("libcudnn.so.9");
        Set<String> libraries = new HashSet<>(m.libraries());
        libraries.add("libcudnn.so.8");
        GpuPreflight.Result result = GpuPreflight.check(new Machine(true, H100, libraries, true));
        assertEquals(GpuPreflight.Missing.CUDNN, result.missing());
        assertTrue(
                result.message()
                        .startsWith("no cuDNN 9: libcudnn.so.9 cannot be loaded (found cuDNN 8: " + "libcudnn.so.8)"),
                result.message());
    }

    @Test
    void aCpuBuildComesLast() {
        Machine m = complete();
        GpuPreflight.Result result = GpuPreflight.check(new Machine(true, H100, m.libraries(), false));
        assertEquals(GpuPreflight.Missing.GPU_BUILD, result.missing());
        assertTrue(
                result.message().startsWith("this command line was built without the gpu profile"), result.message());
        // missing CUDA is reported before the build, whatever else is missing
        assertEquals(
                GpuPreflight.Missing.CUDA,
                GpuPreflight.check(new Machine(true, H100, Set.of(), false)).missing());
    }

    @Test
    void nvidiaSmiHeaderParsing() {
        String header =
                """
                +-----------------------------------------------------------------------------------------+
                | NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
                """;
        assertEquals("12.4", GpuPreflight.cudaVersion(header));
        assertNull(GpuPreflight.cudaVersion("no version here"));
        assertEquals(12, GpuPreflight.major("12.4"));
        assertEquals("ai/onnxruntime/native/linux-x64/", GpuPreflight.ortNativeDir());
    }

    @Test
    void thisMachineIsCpuOnlyAndTheCpuBuildHasNoCudaProvider() {
        // The CLI is tested with the default (CPU) onnxruntime jar.
        assertEquals(false, GpuPreflight.SYSTEM.gpuBuild());
        assertEquals(false, GpuPreflight.SYSTEM.loadable("libdoes-not-exist.so.1"));
        assertTrue(GpuPreflight.SYSTEM.loadable("libc.so.6"));
    }
}
