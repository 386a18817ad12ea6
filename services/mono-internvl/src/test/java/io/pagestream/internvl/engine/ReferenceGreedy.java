package io.pagestream.internvl.engine;

import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.reference.ReferenceBatch;
import io.pagestream.internvl.reference.ReferenceModel;
import io.pagestream.internvl.reference.ReferenceSession;
import java.util.List;

/** Greedy generation with the plain-Java reference model: the expected tokens and log-probabilities. */
final class ReferenceGreedy {
    private static ReferenceModel model;

    record Output(int[] tokens, double[] logprobs) {}

    private ReferenceGreedy() {}

    static synchronized ReferenceModel model() {
        if (model == null) {
            model = ReferenceModel.load(ModelCheckpoint.open(TinyEngineModel.checkpoint()));
        }
        return model;
    }

    /** {@code steps} greedy tokens after {@code ids}, whose image tokens take the rows of {@code images}. */
    static Output generate(int[] ids, List<PixelTiles> images, int steps) {
        ReferenceModel reference = model();
        float[][] rows = null;
        if (!images.isEmpty()) {
            rows = images.stream()
                    .flatMap(image -> List.of(reference.encodeImage(image)).stream())
                    .toArray(float[][]::new);
        }
        ReferenceSession session = reference.newSession();
        float[] logits = session.prefill(ids, rows, new int[] {ids.length - 1})[0];
        int[] tokens = new int[steps];
        double[] logprobs = new double[steps];
        for (int step = 0; step < steps; step++) {
            tokens[step] = ReferenceBatch.argmax(logits);
            logprobs[step] = logSoftmax(logits, tokens[step]);
            if (step + 1 < steps) {
                logits = session.decode(tokens[step]);
            }
        }
        return new Output(tokens, logprobs);
    }

    static double logSoftmax(float[] logits, int index) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : logits) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (float value : logits) {
            sum += Math.exp(value - max);
        }
        return logits[index] - max - Math.log(sum);
    }
}
