package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.internvl.tokenizer.InternLm2Tokens;
import io.pagestream.internvl.tokenizer.Tokenizer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

/**
 * What an engine holds outside the Java heap, opened together and released together by {@link #close()} when the
 * engine loop ends: the off-heap buffers, the model steps over the KV cache, the native tokenizer and, when the
 * engine owns it, the model's sessions.
 */
final class EngineResources implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EngineResources.class.getName());

    final OnnxModel model;
    final ModelSteps steps;
    private final boolean ownsModel;
    private final NativeMemory memory;
    private final Tokenizer tokenizer;
    private final ChatPrompt chat;
    /** Guarded by the tokenizer's lock: the native tokenizer must not be used once released. */
    private boolean tokenizerClosed;

    private EngineResources(
            OnnxModel model, boolean ownsModel, NativeMemory memory, Tokenizer tokenizer, ModelSteps steps) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.memory = memory;
        this.tokenizer = tokenizer;
        this.chat = new ChatPrompt(tokenizer, model.info.tokensPerTile());
        this.steps = steps;
    }

    /** Allocates the KV cache and buffers for {@code config}; on failure releases what it took, but not the model. */
    static EngineResources open(OnnxModel model, boolean ownsModel, EngineConfig config)
            throws IOException, OrtException {
        NativeMemory memory = NativeMemory.open();
        Tokenizer tokenizer = null;
        try {
            tokenizer = Tokenizer.load(model.checkpointDir);
            ModelSteps steps = openSteps(model, memory, config, tokenizer.tokenId(InternLm2Tokens.IMG_CONTEXT));
            return new EngineResources(model, ownsModel, memory, tokenizer, steps);
        } catch (IOException | OrtException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            memory.close();
            throw e;
        }
    }

    private static ModelSteps openSteps(OnnxModel model, NativeMemory memory, EngineConfig config, int imageContextId)
            throws OrtException {
        ModelInfo info = model.info;
        int capacity = config.slotCapacity();
        int visionTiles = Math.max(1, Math.min(capacity / info.tokensPerTile(), model.config.maxImageTiles()));
        MemorySegment pixels = memory.segment(4L * 3 * info.tileSize() * info.tileSize() * visionTiles);
        return switch (config.kvResidence()) {
            case DEVICE -> BoundSteps.open(model, memory, config.maxBatch(), capacity, pixels, imageContextId);
            case HOST ->
                HostSteps.open(
                        model,
                        memory,
                        config.maxBatch(),
                        capacity,
                        pixels.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer(),
                        imageContextId);
        };
    }

    /**
     * The chat prompt's token ids for images of these tile counts. Any thread.
     *
     * @throws IllegalStateException    once released
     * @throws IllegalArgumentException when the prompt's image placeholders do not match the images
     */
    int[] promptIds(String prompt, List<Integer> tilesPerImage) {
        synchronized (tokenizer) {
            if (tokenizerClosed) {
                throw new IllegalStateException("the engine is closed");
            }
            return chat.build(prompt, tilesPerImage).ids();
        }
    }

    /** Text of generated ids, as in {@link GenerationResult#text()}. */
    String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    /** The model's own stop tokens, for requests that name none. */
    Set<Integer> stopTokenIds() {
        return tokenizer.stopTokenIds();
    }

    @Override
    public void close() {
        steps.close();
        memory.close();
        synchronized (tokenizer) {
            tokenizerClosed = true;
            tokenizer.close();
        }
        if (ownsModel) {
            try {
                model.close();
            } catch (OrtException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the ONNX sessions failed", e);
            }
        }
    }
}
