package io.pagestream.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.cli.Main;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code model generate --json} on an init-random tiny checkpoint, as a user runs it. */
class GenerateCommandTest {

    @Test
    void generateJsonOnARandomTinyCheckpoint(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        assertEquals(0, run(new StringWriter(), "model", "init-random", "--config", "tiny", "--out", model.toString()));
        Path image = dir.resolve("page.png");
        BufferedImage picture = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 448; y++) {
            for (int x = 0; x < 448; x++) {
                picture.setRGB(x, y, (x * 3 & 0xFF) << 16 | (y * 5 & 0xFF) << 8 | (x ^ y) & 0xFF);
            }
        }
        ImageIO.write(picture, "png", image.toFile());

        StringWriter out = new StringWriter();
        assertEquals(
                0,
                run(
                        out,
                        "model",
                        "generate",
                        "--model",
                        model.toString(),
                        "--image",
                        image.toString(),
                        "--prompt",
                        "Transcribe the page.",
                        "--max-new-tokens",
                        "4",
                        "--threads",
                        "1",
                        "--json"));
        JsonNode json = JsonMapper.builder().build().readTree(out.toString());
        JsonNode prompt = json.get("promptTokenIds");
        assertEquals(1, prompt.get(0).asInt(), "BOS first");
        assertEquals(256, count(prompt, 92546), "one tile of 256 image tokens");
        JsonNode generated = json.get("generatedTokenIds");
        JsonNode logprobs = json.get("logprobs");
        assertTrue(generated.size() >= 1 && generated.size() <= 4, json.toString());
        assertEquals(generated.size(), logprobs.size());
        logprobs.forEach(value -> assertTrue(value.asDouble() <= 0));
        assertTrue(json.get("text").isTextual());
        assertTrue(json.get("timings").get("totalMs").asDouble() > 0);
        assertTrue(Files.isRegularFile(model.resolve("onnx-fp32/conversion.json")), "converted on first use");

        StringWriter again = new StringWriter();
        assertEquals(
                0,
                run(
                        again,
                        "model",
                        "generate",
                        "--model",
                        model.toString(),
                        "--image",
                        image.toString(),
                        "--prompt",
                        "Transcribe the page.",
                        "--max-new-tokens",
                        "4",
                        "--threads",
                        "1",
                        "--json"));
        assertEquals(
                generated,
                JsonMapper.builder().build().readTree(again.toString()).get("generatedTokenIds"),
                "greedy decoding is deterministic");
    }

    @Test
    void anImpossibleRequestIsAClearError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(Main.class);
        cli.setErr(new PrintWriter(err));
        assertNotEquals(
                0,
                cli.execute(
                        "model", "generate", "--model", dir.resolve("missing").toString(), "--prompt", "Hi"));
        assertTrue(err.toString().contains("missing"), err.toString());
    }

    private static int count(JsonNode ids, int id) {
        int n = 0;
        for (JsonNode value : ids) {
            n += value.asInt() == id ? 1 : 0;
        }
        return n;
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = new CommandLine(Main.class);
        cli.setOut(new PrintWriter(out));
        return cli.execute(args);
    }
}
