package io.pagestream.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code model bench} end to end on a tiny random checkpoint, with the smallest counts, in JSON and as tables. */
class BenchCommandTest {

    @Test
    void benchReportsEveryFigureWithItsBound(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        assertEquals(0, run(new StringWriter(), "model", "init-random", "--config", "tiny", "--out", model.toString()));
        String[] small = {
            "model",
            "bench",
            "--model",
            model.toString(),
            "--steps",
            "2",
            "--batches",
            "1,2",
            "--questions",
            "1",
            "--answer-tokens",
            "2",
            "--cb-slots",
            "2",
            "--cb-requests",
            "3",
            "--repeats",
            "1",
            "--threads",
            "1"
        };
        StringWriter json = new StringWriter();
        assertEquals(0, run(json, concat(small, "--json")));
        JsonNode root = JsonMapper.builder().build().readTree(json.toString());
        assertTrue(root.get("machine").get("matmulGflops").asDouble() > 0);
        assertTrue(root.get("machine").get("readGbs").asDouble() > 0);
        JsonNode result = root.get("results").get(0);
        assertEquals("FP32", result.get("dtype").asText());
        assertTrue(result.get("prefill").get("matmulRatio").asDouble() > 0);
        assertEquals(2, result.get("decode").size());
        for (JsonNode point : result.get("decode")) {
            assertTrue(
                    point.get("msPerStep").asDouble() > 0 && point.get("ratio").asDouble() > 0, point.toString());
        }
        assertTrue(result.get("prefixReuse").get("speedup").asDouble() > 0);
        assertTrue(result.get("continuousBatching").get("speedup").asDouble() > 0);

        StringWriter tables = new StringWriter();
        assertEquals(0, run(tables, small));
        assertTrue(tables.toString().contains("| model | dtype | batch |"), tables.toString());
        assertTrue(tables.toString().contains("continuous batching"), tables.toString());
    }

    private static String[] concat(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = new CommandLine(Main.class);
        cli.setOut(new PrintWriter(out));
        return cli.execute(args);
    }
}
