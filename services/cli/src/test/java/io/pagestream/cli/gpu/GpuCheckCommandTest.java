package io.pagestream.cli.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.cli.CommandRun;
import io.pagestream.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gpu-check} as a user runs it. On this machine (no GPU, the CPU build) it must stop at once with exit 2 and one
 * line; with scripted probes, each missing piece gives its own line; the hidden CPU smoke mode runs the whole check on
 * the tiny model, parsing ONNX Runtime's real profile output.
 */
class GpuCheckCommandTest {

    @Test
    void onThisMachineItExits2WithOneLine() {
        CommandRun run = CommandRun.of(new CommandLine(Main.class), "gpu-check");
        assertEquals(2, run.exit(), run.err());
        assertEquals("", run.out());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.getFirst().startsWith("gpu-check: "), lines.getFirst());
        if (!Files.exists(Path.of("/dev/nvidia0"))) {
            assertTrue(
                    lines.getFirst()
                            .startsWith("gpu-check: no NVIDIA GPU: /dev/nvidia0 does not exist and "
                                    + "nvidia-smi does not work ("),
                    lines.getFirst());
        }
    }

    @Test
    void jsonSaysWhatIsMissing() throws Exception {
        CommandRun run = CommandRun.of(new CommandLine(Main.class), "gpu-check", "--json");
        assertEquals(2, run.exit());
        assertEquals("", run.err());
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertEquals("UNAVAILABLE", json.get("verdict").asText());
        assertTrue(Set.of("GPU", "CUDA", "CUDNN", "GPU_BUILD")
                .contains(json.get("missing").asText()));
    }

    @Test
    void eachMissingPieceHasItsLine() {
        GpuPreflightTest.Machine complete = GpuPreflightTest.complete();
        Set<String> noCudnn = new HashSet<>(complete.libraries());
        noCudnn.remove("libcudnn.so.9");
        CommandRun cudnn = CommandRun.of(new CommandLine(
                new GpuCheckCommand(new GpuPreflightTest.Machine(true, complete.smi(), noCudnn, true))));
        assertEquals(2, cudnn.exit());
        assertEquals(
                List.of("gpu-check: no cuDNN 9: libcudnn.so.9 cannot be loaded; install cuDNN 9 for CUDA 12 and "
                        + "put it on LD_LIBRARY_PATH"),
                cudnn.err().lines().toList());

        CommandRun build = CommandRun.of(new CommandLine(
                new GpuCheckCommand(new GpuPreflightTest.Machine(true, complete.smi(), complete.libraries(), false))));
        assertEquals(2, build.exit());
        assertEquals(1, build.err().lines().count());
        assertTrue(build.err().contains("built without the gpu profile"), build.err());
    }

    @Test
    void theDatasheetFollowsNvidiaSmisName() {
        assertEquals(
                "h100", GpuCheckCommand.guess(result("NVIDIA H100 80GB HBM3")).key());
        assertEquals(
                "a100", GpuCheckCommand.guess(result("NVIDIA A100-SXM4-80GB")).key());
        assertEquals("l4", GpuCheckCommand.guess(result("NVIDIA L4")).key());
        assertEquals("h100", GpuCheckCommand.guess(result("NVIDIA L40S")).key(), "unknown GPUs get the H100's figures");
    }

    static GpuPreflight.Result result(String gpuName) {
        return new GpuPreflight.Result(null, "ok", new GpuPreflight.Smi(true, gpuName, "550", "12.4", null));
    }

    @Test
    void cpuSmokeRunsTheWholeCheckOnTheTinyModel(@TempDir Path work) throws Exception {
        CommandRun run = CommandRun.of(
                new CommandLine(Main.class),
                "gpu-check",
                "--cpu-smoke",
                "--config",
                "tiny",
                "--dtype",
                "fp16",
                "--work",
                work.toString(),
                "--batches",
                "1,2",
                "--steps",
                "2",
                "--page-tiles",
                "3",
                "--context-tiles",
                "1",
                "--page-batches",
                "1,2",
                "--agreement-tokens",
                "4",
                "--json");
        assertTrue(run.exit() == 0 || run.exit() == 1, run.err());
        JsonNode report = JsonMapper.builder().build().readTree(run.out());
        assertTrue(report.get("cpuSmoke").asBoolean());
        assertEquals("CPU", report.get("provider").asText());
        String checks = report.get("checks").toString();
        JsonNode memcpy = null;
        for (JsonNode check : report.get("checks")) {
            if (check.get("name").asText().startsWith("no Memcpy of KV tensors")) {
                memcpy = check;
            }
        }
        assertTrue(memcpy != null, checks);
        assertEquals("PASS", memcpy.get("verdict").asText(), "ORT's CPU profile was read and holds no copy: " + memcpy);
        assertTrue(checks.contains("greedy tokens agree with CPU fp32"), checks);
        assertTrue(checks.contains("decode ms/step, batch 2"), checks);
        assertTrue(checks.contains("prefill ms per tile"), checks);
        assertTrue(
                report.get("figures").toString().contains("pages/s, 3 tiles + 1024-token OCR, batch 2"),
                report.get("figures").toString());
        assertTrue(Files.exists(work.resolve("tiny-random/.complete")));
    }
}
