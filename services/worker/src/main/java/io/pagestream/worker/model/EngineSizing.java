package io.pagestream.worker.model;

import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.engine.EngineConfig;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.worker.WorkerConfig;
import java.util.OptionalLong;

/**
 * How big the engine's KV cache is made, decided once before it opens (the engine preallocates it): slots (prompts
 * decoded together) of {@code slotTokens} positions each.
 *
 * <p>A slot must hold the longest prompt a page can produce (the most tiles the model's tiling makes, its visual
 * tokens, and room for the text) plus the longer of the two generation limits. Unless configured, the number of
 * slots is what {@code memoryFraction} of the device's free memory, less the weights, holds — capped by
 * {@code maxSlots} — so the same configuration runs a small batch on a laptop and a wide one on a data-centre GPU.
 *
 * @param reason how the figures were reached, for the start-up log
 */
public record EngineSizing(int slots, int slotTokens, long kvBytesPerToken, String reason) {
    /** Room for the chat template, the system prompt and the instruction or question, in tokens. */
    static final int TEXT_ALLOWANCE = 512;

    /** Slots when free memory cannot be read (a CUDA host without {@code nvidia-smi}). */
    static final int UNKNOWN_MEMORY_SLOTS = 8;

    public static EngineSizing of(
            WorkerConfig config,
            ModelConfig model,
            TargetDtype dtype,
            int maxPositions,
            OptionalLong freeMemory,
            long weightBytes) {
        LlmConfig llm = model.llm();
        long perToken = EngineConfig.kvBytesPerToken(
                llm.numHiddenLayers(),
                llm.numKeyValueHeads(),
                llm.headDim(),
                dtype.precision().byteSize());
        WorkerConfig.Prompts prompts = config.prompts();
        int newTokens = Math.max(prompts.ocrMaxNewTokens(), prompts.questionMaxNewTokens());
        int slotTokens = config.engine().slotTokens() > 0
                ? config.engine().slotTokens()
                : Math.min(maxPositions, model.maxImageTiles() * model.tokensPerTile() + TEXT_ALLOWANCE + newTokens);
        if (config.engine().slots() > 0) {
            return new EngineSizing(config.engine().slots(), slotTokens, perToken, "configured");
        }
        if (freeMemory.isEmpty()) {
            return new EngineSizing(
                    Math.min(UNKNOWN_MEMORY_SLOTS, config.engine().maxSlots()),
                    slotTokens,
                    perToken,
                    "free memory unknown");
        }
        long freeBytes = freeMemory.getAsLong();
        long budget = (long) (config.engine().memoryFraction() * Math.max(0, freeBytes - weightBytes));
        long fits = budget / ((long) slotTokens * perToken);
        int slots = (int) Math.max(1, Math.min(config.engine().maxSlots(), fits));
        return new EngineSizing(
                slots,
                slotTokens,
                perToken,
                String.format(
                        "%.0f%% of %d MiB free less %d MiB of weights holds %d slots of %d tokens at %d bytes/token, cap %d",
                        100 * config.engine().memoryFraction(),
                        freeBytes >> 20,
                        weightBytes >> 20,
                        fits,
                        slotTokens,
                        perToken,
                        config.engine().maxSlots()));
    }

    public long kvBytes() {
        return (long) slots * slotTokens * kvBytesPerToken;
    }

    public EngineConfig apply(EngineConfig base) {
        return base.withSlots(slots, slotTokens);
    }
}
