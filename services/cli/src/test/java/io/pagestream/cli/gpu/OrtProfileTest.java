package io.pagestream.cli.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile parser on a sample written by hand in the format ONNX Runtime's profiler writes (a JSON array of
 * chrome-trace events: session events, and per node a fence_before, a kernel_time with op_name, provider and type
 * shapes in args, and a fence_after). The CPU smoke run of gpu-check parses real ORT output as well.
 */
class OrtProfileTest {

    static String sample() throws IOException {
        try (InputStream in = OrtProfileTest.class.getResourceAsStream("/gpu/ort-profile-sample.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void countsKernelsProvidersAndMemcpys() throws IOException {
        OrtProfile.Summary s = OrtProfile.parse(sample(), 8, 128);
        assertEquals(6, s.kernels(), "kernel_time events only, fences and session events left out");
        assertEquals(Map.of("CUDAExecutionProvider", 4, "CPUExecutionProvider", 2), s.providerCounts());
        assertTrue(s.has("GroupQueryAttention"));
        assertEquals(List.of("Shape", "SkipSimplifiedLayerNormalization"), s.cpuOps());

        assertEquals(2, s.memcpys().size());
        OrtProfile.Memcpy seqlens = s.memcpys().get(0);
        assertEquals("Memcpy_token_3", seqlens.node());
        assertEquals("MemcpyFromHost", seqlens.op());
        assertFalse(seqlens.kv(), "an int32 [4] is not a cache");
        OrtProfile.Memcpy present = s.memcpys().get(1);
        assertEquals("MemcpyToHost", present.op());
        assertTrue(present.kv(), "[4, 8, 1024, 128] is a KV cache tensor");
        assertEquals(1, s.kvMemcpys());

        assertEquals(2, s.runs());
        assertEquals((7100 + 1700) / 2.0, s.meanRunUs());
        assertEquals((6500 + 1500) / 2.0, s.meanExecuteUs());
        assertEquals(400.0, s.meanOutsideExecuteUs());
    }

    @Test
    void kvIsRecognisedByTheModelsOwnShape() throws IOException {
        // For a model with 2 KV heads of 16 the same tensors are not caches.
        assertEquals(0, OrtProfile.parse(sample(), 2, 16).kvMemcpys());
    }

    @Test
    void namesCountWhereABuildRecordsThem() throws IOException {
        String event =
                """
                [{"cat" : "Node","pid" :1,"tid" :1,"dur" :3,"ts" :1,"ph" : "X","name" :"Memcpy_kernel_time",
                  "args" : {"op_name" : "MemcpyToHost","provider" : "CUDAExecutionProvider",
                  "input_names" : ["present.3.key"], "input_type_shape" : [{"float16":[1,5]}],
                  "output_type_shape" : [{"float16":[1,5]}]}}]
                """;
        OrtProfile.Summary s = OrtProfile.parse(event, 8, 128);
        assertEquals(1, s.kvMemcpys());
        assertTrue(Double.isNaN(s.meanOutsideExecuteUs()), "no session events: unknown");
    }

    @Test
    void aProfileWithoutCopiesOrRuns() throws IOException {
        OrtProfile.Summary s = OrtProfile.parse("[]", 8, 128);
        assertEquals(0, s.kernels());
        assertEquals(0, s.kvMemcpys());
    }

    @Test
    void aFileTwoSessionsWroteIsSalvagedLineByLine() throws IOException {
        // The decoder's long profile, then a short one written from the start of the same file (same-second name).
        String vision =
                """
                [
                {"cat" : "Session","pid" :4242,"tid" :4242,"dur" :900,"ts" :1,"ph" : "X","name" :"model_run","args" : {}},
                {"cat" : "Node","pid" :4242,"tid" :4242,"dur" :20,"ts" :2,"ph" : "X","name" :"/patch/Conv_kernel_time","args" : {"op_name" : "Conv","provider" : "CUDAExecutionProvider","input_type_shape" : [{"float16":[1,3,448,448]}],"output_type_shape" : [{"float16":[1,1024,32,32]}]}}
                ]
                """;
        String decoder = sample();
        String file = vision + decoder.substring(vision.length());
        assertThrows(IOException.class, () -> JsonMapperHolder.strict(file));
        OrtProfile.Summary s = OrtProfile.parse(file, 8, 128);
        assertTrue(s.salvaged());
        assertTrue(s.skippedLines() <= 1, "at most the line cut at the end of the short array");
        assertTrue(s.has("Conv"));
        assertTrue(s.has("GroupQueryAttention"));
        assertEquals(1, s.kvMemcpys());
    }

    /** What a strict reader makes of the file. */
    static final class JsonMapperHolder {
        static void strict(String json) throws IOException {
            com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build()
                    .readTree(json);
        }
    }

    @Test
    void notAProfile() {
        assertThrows(IOException.class, () -> OrtProfile.parse("{\"cat\": \"Node\"}", 8, 128));
        assertThrows(IOException.class, () -> OrtProfile.parse("[{\"cat\" : \"Node\",", 8, 128));
    }

    @Test
    void filesOfAPrefix(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("run-1_2026-12-01_10-00-01.json"), "[]");
        Files.writeString(dir.resolve("run-1_2026-12-01_10-00-00.json"), "[]");
        Files.writeString(dir.resolve("run-2_2026-12-01_10-00-00.json"), "[]");
        Files.writeString(dir.resolve("run-1.txt"), "");
        assertEquals(
                List.of(dir.resolve("run-1_2026-12-01_10-00-00.json"), dir.resolve("run-1_2026-12-01_10-00-01.json")),
                OrtProfile.files(dir.resolve("run-1").toString()));
        assertEquals(List.of(), OrtProfile.files(dir.resolve("missing/run").toString()));
    }
}
