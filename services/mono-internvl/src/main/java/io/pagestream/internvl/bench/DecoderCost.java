package io.pagestream.internvl.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.convert.Converter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The work a decoder does, for bounds: FLOPs per token from the config (what the math needs: one FFN expert per
 * token), and the bytes a decode step must read, from the converted graph's own weight sizes (so int4 blocks and
 * scales count as stored), leaving out the visual expert (decode steps route every token to the text FFN) and the
 * rotary tables (a step reads one row of them).
 *
 * @param decodeWeightBytes weight bytes one decode step streams, whatever the batch
 * @param visualExpertBytes weight bytes of the visual FFN experts, read only by prefills with image tokens
 * @param kvBytesPerToken   KV cache bytes per token (keys and values of every layer)
 */
public record DecoderCost(LlmConfig llm, long decodeWeightBytes, long visualExpertBytes, long kvBytesPerToken) {

    public static DecoderCost of(LlmConfig llm, Path onnxDir, long kvBytesPerToken) {
        Path model = onnxDir.resolve(Converter.DECODER).resolve(Converter.MODEL_FILE);
        long decode = 0;
        long visual = 0;
        try (InputStream in = Files.newInputStream(model)) {
            for (TensorProto tensor : ModelProto.parseFrom(in).getGraph().getInitializerList()) {
                long bytes = bytes(tensor);
                if (tensor.getName().contains("feed_forward_ve.")) {
                    visual += bytes;
                } else if (!tensor.getName().startsWith("rope.")) {
                    decode += bytes;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(model + ": cannot read: " + e.getMessage(), e);
        }
        return new DecoderCost(llm, decode, visual, kvBytesPerToken);
    }

    private static long bytes(TensorProto tensor) {
        for (StringStringEntryProto entry : tensor.getExternalDataList()) {
            if (entry.getKey().equals("length")) {
                return Long.parseLong(entry.getValue());
            }
        }
        return tensor.getRawData().size();
    }

    /** Multiply-adds ×2 of one token through the decoder layers, one FFN expert, no attention scores. */
    public double layerFlopsPerToken() {
        long hidden = llm.hiddenSize();
        long perLayer = (long) llm.qkvRows() * hidden + hidden * hidden + 3L * llm.intermediateSize() * hidden;
        return 2.0 * perLayer * llm.numHiddenLayers();
    }

    /** Attention scores and weighted values of one token over {@code context} positions, all layers. */
    public double attentionFlops(int context) {
        return 4.0 * llm.numHiddenLayers() * llm.numAttentionHeads() * llm.headDim() * context;
    }

    /** The LM head for one position. */
    public double headFlops() {
        return 2.0 * llm.vocabSize() * llm.hiddenSize();
    }

    /** A prefill of {@code tokens} positions after {@code past} cached ones, logits at the last only. */
    public double prefillFlops(int past, int tokens) {
        double attention = 0;
        for (int t = 1; t <= tokens; t++) {
            attention += attentionFlops(past + t);
        }
        return tokens * layerFlopsPerToken() + attention + headFlops();
    }

    /** Bytes a decode step of {@code batch} rows at {@code context} positions each must read at least. */
    public double decodeBytes(int batch, int context) {
        return decodeWeightBytes + (double) batch * context * kvBytesPerToken;
    }
}
