package io.pagestream.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code model cost}: the cost model's table and JSON (the figures themselves are checked in GpuCostModelTest). */
class CostCommandTest {

    static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(Main.class);
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(new StringWriter()));
        assertEquals(expectedExit, command.execute(args));
        return out.toString();
    }

    @Test
    void tableForTheH100() {
        String table = run(0, "model", "cost");
        assertTrue(table.contains("NVIDIA H100 SXM 80 GB"), table);
        assertTrue(table.contains("3,399,196,672 B"), table);
        assertTrue(table.contains("| 64 | 4096 | 29.19 |"), table);
        assertTrue(table.contains("| 16 | 3388 | 3900 |"), table);
    }

    @Test
    void jsonForAnL4() throws Exception {
        JsonNode json = JsonMapper.builder()
                .build()
                .readTree(run(0, "model", "cost", "--gpu", "l4", "--dtype", "int4", "--json"));
        assertEquals("int4", json.get("weights").asText());
        assertEquals(956_168_320L, json.get("decodeWeightBytes").asLong());
        assertEquals("l4", json.get("gpu").get("key").asText());
        boolean anyTooBig = false;
        for (JsonNode d : json.get("decode")) {
            anyTooBig |= !d.get("fits").asBoolean();
        }
        assertTrue(anyTooBig, "64 rows of 4k positions do not fit in 24 GB");
    }

    @Test
    void anUnknownGpuIsAnError() {
        assertNotEquals(
                0,
                new CommandLine(Main.class)
                        .setErr(new PrintWriter(new StringWriter()))
                        .execute("model", "cost", "--gpu", "v100"));
    }
}
