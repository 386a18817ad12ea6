package io.pagestream.worker.pipeline;

import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.Task;
import io.pagestream.worker.model.PageEngine;
import io.pagestream.worker.model.PromptSpec;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.PageFailedException;
import io.pagestream.worker.output.Stage;
import io.pagestream.worker.output.UnaskedQuestion;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a polled record into a {@link PreparedPage}: reads the Avro value, decodes the image (its size read from the
 * header first, so a decompression bomb is refused before any pixel is allocated), tiles it, and builds and measures
 * the prompts. Anything wrong with the page itself becomes a {@link PageFailedException} naming the reason; a
 * question that cannot be asked becomes an {@link UnaskedQuestion} of an otherwise normal page. Thread-safe.
 */
public final class PageDecoder {
    static {
        // Decode from memory only: the default cache writes every decoded stream to a temporary file.
        ImageIO.setUseCache(false);
    }

    private final String topic;
    private final Deserializer<PageImage> values;
    private final PageEngine engine;
    private final Prompts prompts;
    private final long maxPixels;

    public PageDecoder(
            String topic, Deserializer<PageImage> values, PageEngine engine, Prompts prompts, long maxPixels) {
        this.topic = topic;
        this.values = values;
        this.engine = engine;
        this.prompts = prompts;
        this.maxPixels = maxPixels;
    }

    /** The page record's value, before any image work. */
    public PageImage read(PageTask task) throws PageFailedException {
        if (task.value() == null) {
            throw new PageFailedException(Failure.DESERIALIZATION_ERROR, Stage.DECODE, "the record has no value");
        }
        try {
            return values.deserialize(topic, task.value());
        } catch (RuntimeException e) {
            throw new PageFailedException(
                    Failure.of(
                            Failure.DESERIALIZATION_ERROR, Stage.DECODE, "the record is not a readable PageImage", e),
                    e);
        }
    }

    /**
     * The page's prompts; empty for a QA page of a document without questions. A page whose record gives no image
     * size is refused here, before any image work: the boxes of its results could not be placed.
     */
    public List<PromptSpec> prompts(PageImage page) throws PageFailedException {
        if (page.getWidth() < 1 || page.getHeight() < 1) {
            throw new PageFailedException(
                    Failure.CORRUPT_IMAGE,
                    Stage.DECODE,
                    "the record gives the image size as " + page.getWidth() + "×" + page.getHeight() + " pixels");
        }
        if (!page.getTasks().contains(Task.OCR) && !page.getTasks().contains(Task.QA)) {
            throw new PageFailedException(
                    Failure.UNSUPPORTED_TASK,
                    Stage.DECODE,
                    "the page asks for no task this " + "worker knows (tasks " + page.getTasks() + "; known: OCR, QA)");
        }
        return prompts.forPage(page);
    }

    public PreparedPage prepare(PageTask task, PageImage page, List<PromptSpec> specs) throws PageFailedException {
        BufferedImage image = decodeImage(page.getImage(), maxPixels);
        PixelTiles tiles;
        try {
            tiles = engine.preprocess(image);
        } catch (RuntimeException e) {
            throw new PageFailedException(
                    Failure.of(Failure.CORRUPT_IMAGE, Stage.PREPROCESS, "the image could not be tiled", e), e);
        }
        int imageTokens = tiles.tileCount() * engine.tokensPerTile();
        int tokens = imageTokens;
        List<PromptSpec> fitted = new ArrayList<>();
        List<UnaskedQuestion> unasked = new ArrayList<>();
        for (PromptSpec spec : specs) {
            try {
                int length = promptLength(spec, tiles.tileCount());
                fitted.add(fit(spec, length, tiles.tileCount()));
                tokens += length - imageTokens;
            } catch (PageFailedException e) {
                // A question that cannot be asked fails alone; only an OCR prompt that cannot fails the page.
                if (spec.kind() != PromptSpec.Kind.QUESTION) {
                    throw e;
                }
                unasked.add(new UnaskedQuestion(spec.questionIndex(), spec.question(), e.failure()));
            }
        }
        // A page that ran a worker process into the ground before runs alone, so it takes no batch-mate with it.
        return new PreparedPage(task, page, tiles, fitted, tokens, 1, task.deaths() > 0, unasked);
    }

    /** The prompt with at most the new tokens its KV slot has room for; refused when it has room for none. */
    private PromptSpec fit(PromptSpec spec, int length, int tiles) throws PageFailedException {
        int room = engine.slotTokens() - length;
        if (room < 1) {
            throw new PageFailedException(
                    Failure.TOO_LARGE,
                    Stage.PREPROCESS,
                    (spec.kind() == PromptSpec.Kind.QUESTION ? "question " + spec.questionIndex() + ": " : "")
                            + "a prompt of " + length + " tokens (" + tiles + " tiles) leaves no room in a KV slot of "
                            + engine.slotTokens() + " tokens: raise pagestream.worker.engine.slot-tokens");
        }
        return room < spec.request().maxNewTokens() ? spec.withMaxNewTokens(room) : spec;
    }

    private int promptLength(PromptSpec spec, int tiles) throws PageFailedException {
        try {
            return engine.promptIds(spec.request().prompt(), tiles).length;
        } catch (IllegalArgumentException e) {
            throw new PageFailedException(
                    Failure.of(
                            Failure.INVALID_PROMPT,
                            Stage.PREPROCESS,
                            "question " + spec.questionIndex() + " cannot be asked",
                            e),
                    e);
        }
    }

    static BufferedImage decodeImage(ByteBuffer encoded, long maxPixels) throws PageFailedException {
        byte[] bytes = new byte[encoded.remaining()];
        encoded.duplicate().get(bytes);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new PageFailedException(
                        Failure.CORRUPT_IMAGE,
                        Stage.DECODE,
                        "the image bytes (" + bytes.length + ") are in no format this worker decodes (PNG, JPEG)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new PageFailedException(
                            Failure.TOO_MANY_PIXELS,
                            Stage.DECODE,
                            "the image is "
                                    + reader.getWidth(0) + "×" + reader.getHeight(0) + ", " + pixels
                                    + " pixels, above the limit of " + maxPixels);
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new PageFailedException(Failure.CORRUPT_IMAGE, Stage.DECODE, "the image decoded to nothing");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new PageFailedException(
                    Failure.of(Failure.CORRUPT_IMAGE, Stage.DECODE, "the image could not be decoded", e), e);
        }
    }
}
