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

    @Test
    void anUnknownConfigIsAClearError(@TempDir Path dir) {
        assertNotEquals(0, run("model", "init-random", "--config", "huge", "--out", dir.toString()));
    }

    private static int run(String... args) {
        return new CommandLine(Main.class).execute(args);
    }
}
