package io.pagestream.internvl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.onnx.EditedCheckpoint;
import io.pagestream.internvl.onnx.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ActivationRange} measures the tensors it names: scaling layer 0's {@code wo} by 8 multiplies only that
 * layer's attention-output maximum by 8 (its input is unchanged), and scaling layer 0's text and visual {@code w2} by 8
 * multiplies that layer's FFN-output maximum by 8 and leaves its FFN intermediate (the input of w2) as it was. The
 * graphs are reused on a second run with the same checkpoint and options.
 */
class ActivationRangeTest {
    static final String LAYER0 = "language_model.model.layers.0.";
    static final ActivationRange.Options OPTIONS =
            new ActivationRange.Options(3, ActivationRange.Options.DEFAULT.options(), 2);

    @TempDir
    Path dir;

    @Test
    void maximaFollowTheWeightsThatWriteThem() throws Exception {
        Path random = dir.resolve("random");
        TinyModels.write(random, 21);
        Path base = dir.resolve("base");
        EditedCheckpoint.write(random, base, (name, values) -> values);
        Path wo = dir.resolve("wo");
        EditedCheckpoint.write(random, wo, EditedCheckpoint.scale(8, LAYER0 + "attention.wo.weight"));
        Path w2 = dir.resolve("w2");
        EditedCheckpoint.write(
                random,
                w2,
                EditedCheckpoint.scale(8, LAYER0 + "feed_forward.w2.weight", LAYER0 + "feed_forward_ve.w2.weight"));

        List<String> log = new ArrayList<>();
        ActivationRange.Result plain = ActivationRange.measure(base, dir.resolve("work-base"), OPTIONS, log::add);
        ActivationRange.Result scaledWo = ActivationRange.measure(wo, dir.resolve("work-wo"), OPTIONS, line -> {});
        ActivationRange.Result scaledW2 = ActivationRange.measure(w2, dir.resolve("work-w2"), OPTIONS, line -> {});
        ActivationRange.print(plain, System.out);

        ActivationRange.LayerMax p = plain.layers().get(0);
        assertEquals(8 * p.attentionOut(), scaledWo.layers().get(0).attentionOut(), 1e-4 * 8 * p.attentionOut());
        assertEquals(p.ffnIntermediate(), scaledW2.layers().get(0).ffnIntermediate(), 1e-5 * p.ffnIntermediate());
        assertEquals(8 * p.ffnOut(), scaledW2.layers().get(0).ffnOut(), 1e-4 * 8 * p.ffnOut());
        assertEquals(plain.embeddings(), scaledW2.embeddings());
        assertEquals(plain.promptTokens(), 5 + 64 + 11);
        assertEquals(3, plain.generated());
        assertTrue(plain.maxHidden() > 0 && plain.maxHidden() < ActivationRange.FP16_MAX);
        assertTrue(Files.isRegularFile(dir.resolve("work-base/decoder/model.onnx")));

        List<String> again = new ArrayList<>();
        ActivationRange.Result second = ActivationRange.measure(base, dir.resolve("work-base"), OPTIONS, again::add);
        assertTrue(again.getFirst().startsWith("reusing"), again.toString());
        assertEquals(plain.layers(), second.layers());
    }
}
