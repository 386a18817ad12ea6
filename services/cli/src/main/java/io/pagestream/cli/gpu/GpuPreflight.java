package io.pagestream.cli.gpu;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code gpu-check} needs before it touches a model, checked in this order, stopping at the first thing missing:
 * an NVIDIA GPU ({@code /dev/nvidia0} or a working {@code nvidia-smi}), the CUDA 12 libraries ONNX Runtime's CUDA
 * provider links against (and a driver that supports CUDA 12), cuDNN 9, and a command line built with the {@code gpu}
 * profile (the {@code onnxruntime_gpu} jar, whose CUDA provider library is a resource of the jar). The probes are an
 * interface so that each missing piece can be tested on any machine.
 */
public final class GpuPreflight {
    /** Sonames the CUDA provider of onnxruntime_gpu 1.2x needs from CUDA 12 (DT_NEEDED of its provider library). */
    static final List<String> CUDA12_LIBRARIES =
            List.of("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10");

    static final String CUDNN9 = "libcudnn.so.9";
    private static final Pattern SMI_CUDA = Pattern.compile("CUDA Version:\\s*(\\d+)\\.(\\d+)");

    private GpuPreflight() {}

    /** What is missing; the order is the order of the checks. */
    public enum Missing {
        GPU,
        CUDA,
        CUDNN,
        GPU_BUILD
    }

    /**
     * What {@code nvidia-smi} said.
     *
     * @param works       it ran and exited 0
     * @param gpuName     the first GPU's name, or null
     * @param cudaVersion the highest CUDA version the driver supports ("12.4"), or null
     * @param error       why it did not work, or null
     */
    public record Smi(boolean works, String gpuName, String driverVersion, String cudaVersion, String error) {
        static Smi failed(String error) {
            return new Smi(false, null, null, null, error);
        }
    }

    /** The machine as the checks see it. */
    public interface Probes {
        boolean deviceNode();

        Smi nvidiaSmi();

        /** Whether the dynamic loader can load this library now (dlopen by soname). */
        boolean loadable(String soname);

        /** Whether the ONNX Runtime on the class path is the GPU build. */
        boolean gpuBuild();
    }

    /**
     * The outcome: {@code missing} is null when everything is present.
     *
     * @param message one line for the user
     */
    public record Result(Missing missing, String message, Smi smi) {
        public boolean ok() {
            return missing == null;
        }
    }

    public static Result check(Probes probes) {
        boolean node = probes.deviceNode();
        Smi smi = probes.nvidiaSmi();
        if (!node && !smi.works()) {
            return new Result(
                    Missing.GPU,
                    "no NVIDIA GPU: /dev/nvidia0 does not exist and nvidia-smi does not work (" + smi.error() + ")",
                    smi);
        }
        if (smi.cudaVersion() != null && major(smi.cudaVersion()) < 12) {
            return new Result(
                    Missing.CUDA,
                    "no CUDA 12: the NVIDIA driver supports CUDA " + smi.cudaVersion()
                            + " at most (nvidia-smi); ONNX Runtime's CUDA provider needs CUDA 12",
                    smi);
        }
        for (String library : CUDA12_LIBRARIES) {
            if (!probes.loadable(library)) {
                String found = otherMajor(probes, library, new int[] {13, 14, 11, 10}, 12);
                return new Result(
                        Missing.CUDA,
                        "no CUDA 12 libraries: " + library + " cannot be loaded"
                                + (found == null ? "" : " (found " + found + ")")
                                + "; install CUDA 12 and put its lib64 on LD_LIBRARY_PATH",
                        smi);
            }
        }
        if (!probes.loadable(CUDNN9)) {
            String found = otherMajor(probes, CUDNN9, new int[] {8, 10}, 9);
            return new Result(
                    Missing.CUDNN,
                    "no cuDNN 9: " + CUDNN9 + " cannot be loaded"
                            + (found == null ? "" : " (found " + found + ")")
                            + "; install cuDNN 9 for CUDA 12 and put it on LD_LIBRARY_PATH",
                    smi);
        }
        if (!probes.gpuBuild()) {
            return new Result(
                    Missing.GPU_BUILD,
                    "this command line was built without the gpu profile (CPU "
                            + "onnxruntime jar, no CUDA provider): rebuild with ./mvnw -Pgpu -DskipTests package -pl "
                            + "services/cli -am, or run ./pagestream gpu-check, which does",
                    smi);
        }
        return new Result(
                null,
                "NVIDIA GPU" + (smi.gpuName() == null ? "" : " " + smi.gpuName())
                        + (smi.cudaVersion() == null ? "" : ", driver CUDA " + smi.cudaVersion())
                        + ", CUDA 12 and cuDNN 9 loadable, onnxruntime_gpu",
                smi);
    }

    /** "CUDA 13 (libcudart.so.13)" when the same library loads at another major version. */
    private static String otherMajor(Probes probes, String soname, int[] majors, int wanted) {
        String stem = soname.substring(0, soname.lastIndexOf('.') + 1);
        int asked = Integer.parseInt(soname.substring(soname.lastIndexOf('.') + 1));
        for (int major : majors) {
            // Library majors follow the toolkit's only for some libraries (cufft 11 ships with CUDA 12): shift them.
            int libraryMajor = asked + (major - wanted);
            if (libraryMajor > 0 && probes.loadable(stem + libraryMajor)) {
                return (soname.startsWith("libcudnn") ? "cuDNN " : "CUDA ") + major + ": " + stem + libraryMajor;
            }
        }
        return null;
    }

    static int major(String version) {
        try {
            return Integer.parseInt(
                    version.substring(0, version.indexOf('.') < 0 ? version.length() : version.indexOf('.')));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The machine itself. */
    public static final Probes SYSTEM = new Probes() {
        @Override
        public boolean deviceNode() {
            return Files.exists(Path.of("/dev/nvidia0"));
        }

        @Override
        public Smi nvidiaSmi() {
            String header = run("nvidia-smi");
            if (header.startsWith("!")) {
                return Smi.failed(header.substring(1));
            }
            String query = run("nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader");
            String name = null;
            String driver = null;
            if (!query.startsWith("!") && !query.isBlank()) {
                String[] fields = query.lines().findFirst().orElse("").split(",");
                name = fields[0].trim();
                driver = fields.length > 1 ? fields[1].trim() : null;
            }
            return new Smi(true, name, driver, cudaVersion(header), null);
        }

        @Override
        public boolean loadable(String soname) {
            return dlopen(soname);
        }

        @Override
        public boolean gpuBuild() {
            return GpuPreflight.class.getClassLoader().getResource(ortNativeDir() + "libonnxruntime_providers_cuda.so")
                    != null;
        }
    };

    /**
     * Whether the dynamic loader can load {@code soname} (and what it needs) now: {@code dlopen} through
     * {@code java.lang.foreign.SymbolLookup.libraryLookup}, called reflectively because the project compiles for Java
     * 21, where that API is a preview; on a JDK 21 runtime, the library is looked up on {@code LD_LIBRARY_PATH} and in
     * {@code ldconfig}'s cache and loaded with {@link System#load}.
     */
    static boolean dlopen(String soname) {
        try {
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
            Object arena = arenaType.getMethod("ofConfined").invoke(null);
            try {
                Class.forName("java.lang.foreign.SymbolLookup")
                        .getMethod("libraryLookup", String.class, arenaType)
                        .invoke(null, soname, arena);
                return true;
            } catch (InvocationTargetException e) {
                return false;
            } finally {
                ((AutoCloseable) arena).close();
            }
        } catch (Exception e) {
            return loadFromSearchPath(soname);
        }
    }

    private static boolean loadFromSearchPath(String soname) {
        List<Path> candidates = new java.util.ArrayList<>();
        String path = System.getenv("LD_LIBRARY_PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, soname));
                }
            }
        }
        String cache = run("ldconfig", "-p");
        if (!cache.startsWith("!")) {
            cache.lines()
                    .filter(l -> l.trim().startsWith(soname + " "))
                    .map(l -> l.substring(l.indexOf("=>") + 2).trim())
                    .forEach(p -> candidates.add(Path.of(p)));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                try {
                    System.load(candidate.toAbsolutePath().toString());
                    return true;
                } catch (UnsatisfiedLinkError e) {
                    // a dependency is missing: try the next copy
                }
            }
        }
        return false;
    }

    static String cudaVersion(String smiHeader) {
        Matcher m = SMI_CUDA.matcher(smiHeader);
        return m.find() ? m.group(1) + "." + m.group(2) : null;
    }

    /** Where the ORT jar keeps its native libraries for this platform. */
    static String ortNativeDir() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("win") ? "win" : "osx";
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch;
        return "ai/onnxruntime/native/" + osName + "-" + archName + "/";
    }

    /** Output of a short command, or "!" and why it failed. nvidia-smi can hang on a broken driver: 20 s at most. */
    private static String run(String... command) {
        Path output = null;
        try {
            output = Files.createTempFile("pagestream-gpu-check-", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "!" + command[0] + " did not finish in 20 s";
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String first =
                        text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
                return "!" + command[0] + " exited " + process.exitValue() + (first.isEmpty() ? "" : ": " + first);
            }
            return text;
        } catch (IOException e) {
            return "!" + command[0] + " not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "!" + command[0] + " interrupted";
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }
}
