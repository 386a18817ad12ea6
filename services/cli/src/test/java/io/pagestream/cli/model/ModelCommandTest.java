package io.pagestream.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.cli.Main;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code model init-random} then {@code model convert} on the bundled tiny config, as a user runs them. */
class ModelCommandTest {

    @Test
    void initRandomThenConvertAndReuse(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        Path onnx = dir.resolve("tiny-onnx");
        assertEquals(0, run("model", "init-random", "--config", "tiny", "--out", model.toString(), "--seed", "7"));
        ModelCheckpoint checkpoint = ModelCheckpoint.open(model);
        assertEquals(92553, checkpoint.config().llm().vocabSize());
        try (Tokenizer tokenizer = Tokenizer.load(model)) {
            assertTrue(tokenizer.encode("Hello <IMG_CONTEXT>").length > 2);
        }

        assertEquals(0, run("model", "convert", "--model", model.toString(), "--out", onnx.toString()));
        Path decoder = onnx.resolve("decoder/model.onnx");
        assertTrue(Files.size(decoder) > 0 && Files.size(onnx.resolve("decoder/model.onnx.data")) > 0);
        FileTime converted = Files.getLastModifiedTime(decoder);

        assertEquals(0, run("model", "convert", "--model", model.toString(), "--out", onnx.toString()));
        assertEquals(converted, Files.getLastModifiedTime(decoder), "an unchanged checkpoint reuses the conversion");

        Thread.sleep(20);
        assertEquals(0, run("model", "init-random", "--config", "tiny", "--out", model.toString(), "--seed", "8"));
        assertEquals(0, run("model", "convert", "--model", model.toString(), "--out", onnx.toString()));
        assertNotEquals(converted, Files.getLastModifiedTime(decoder), "a changed checkpoint is converted again");
    }

    /** {@code model activations} on a tiny random checkpoint (with its tokenizer, so the real chat prompt). */
    @Test
    void activationsPrintsPerLayerMaximaAndTheFp16Headroom(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        assertEquals(0, run("model", "init-random", "--config", "tiny", "--out", model.toString(), "--seed", "3"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(
                    0, run("model", "activations", "--model", model.toString(), "--tokens", "2", "--threads", "2"));
        } finally {
            System.setOut(stdout);
        }
        String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        System.out.print(out);
        assertTrue(out.contains("| layer | residual after attn |"), out);
        assertTrue(out.contains("fp16 headroom"), out);
        assertTrue(Files.isRegularFile(model.resolve("activations-fp32/decoder/model.onnx")));
    }

    @Test
    void convertTakesTheFp32ResidualAndInt4Fp16(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        assertEquals(0, run("model", "init-random", "--config", "tiny", "--out", model.toString(), "--seed", "3"));
        Path onnx = dir.resolve("onnx");
        assertEquals(
                0,
                run(
                        "model",
                        "convert",
                        "--model",
                        model.toString(),
                        "--out",
                        onnx.toString(),
                        "--dtype",
                        "int4-fp16",
                        "--fp32-residual"));
        String manifest = Files.readString(onnx.resolve("conversion.json"));
        assertTrue(manifest.contains("\"INT4_FP16\"") && manifest.contains("\"fp32Residual\" : true"), manifest);
        assertEquals(
                model.resolve("onnx-int4_fp16-r32"),
                Conversions.defaultDir(
                        model, Conversions.options(io.pagestream.internvl.onnx.TargetDtype.INT4_FP16, 0, true)));
    }

    @Test
    void anUnknownConfigIsAClearError(@TempDir Path dir) {
        assertNotEquals(0, run("model", "init-random", "--config", "huge", "--out", dir.toString()));
    }

    private static int run(String... args) {
        return new CommandLine(Main.class).execute(args);
    }
}
