package io.pagestream.internvl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cost model against figures worked out by hand from the spec's shapes (24 layers, hidden 2048, wqkv 4096 rows,
 * FFN 8192, vocab 92553, 8 KV heads of 128) and the H100 datasheet (3.35 TB/s, 989 TFLOP/s, 64 GB/s), with the
 * default efficiencies 0.8 / 0.6 / 0.8. Each expected value is written as the arithmetic that gives it.
 */
class GpuCostModelTest {
    static final ModelConfig MONO_2B = bundled("mono-internvl-2b");

    static ModelConfig bundled(String name) {
        try (InputStream in = GpuCostModelTest.class.getResourceAsStream("/model-configs/" + name + "/config.json")) {
            return ConfigJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static GpuCostModel model(GpuCostModel.Weights weights) {
        return new GpuCostModel(MONO_2B, weights, GpuSpec.H100, GpuCostModel.Assumptions.DEFAULT);
    }

    @Test
    void weightBytesFromTheShapes() {
        GpuCostModel fp16 = model(GpuCostModel.Weights.FP16);
        // per layer: wqkv 4096×2048 + wo 2048×2048 + w1, w3 8192×2048 + w2 2048×8192 + two norms of 2048
        long layer = 4096L * 2048 + 2048L * 2048 + 3L * 8192 * 2048 + 2 * 2048;
        assertEquals(62_918_656L, layer);
        // 24 layers + final norm + LM head 92553×2048, 2 bytes each
        assertEquals((24 * layer + 2048 + 92553L * 2048) * 2, fp16.decodeWeightBytes());
        assertEquals(3_399_196_672L, fp16.decodeWeightBytes());
        assertEquals(fp16.decodeWeightBytes(), model(GpuCostModel.Weights.BF16).decodeWeightBytes());
        // visual experts: 24 × 3 × 8192 × 2048 × 2
        assertEquals(2_415_919_104L, fp16.visualExpertBytes());
        // every tensor of the checkpoint at 2 bytes: the spec's 3,111,355,392 parameters
        assertEquals(3_111_355_392L * 2, fp16.residentWeightBytes());

        // int4: 1,699,497,984 Linear weights at 16 bytes + a 2-byte scale per block of 32; norms stay 2 bytes
        long linear = 24 * (layer - 2 * 2048) + 92553L * 2048;
        assertEquals(1_699_497_984L, linear);
        assertEquals(
                linear / 32 * 18 + (24 * 2 * 2048 + 2048) * 2,
                model(GpuCostModel.Weights.INT4).decodeWeightBytes());
        assertEquals(956_168_320L, model(GpuCostModel.Weights.INT4).decodeWeightBytes());
    }

    @Test
    void kvCacheBytes() {
        GpuCostModel fp16 = model(GpuCostModel.Weights.FP16);
        assertEquals(2 * 24 * 8 * 128 * 2, fp16.kvBytesPerPosition());
        assertEquals(98_304, fp16.kvBytesPerPosition());
        assertEquals(100_663_296L, 1024 * fp16.kvBytesPerPosition());
        assertEquals(402_653_184L, 4096 * fp16.kvBytesPerPosition());
        // the embedding row (2048 × 2) and the float32 logits (92553 × 4)
        assertEquals(4096 + 370_212, fp16.perRowStepBytes());
    }

    @Test
    void decodeStepOnAnH100IsBandwidthBound() {
        GpuCostModel fp16 = model(GpuCostModel.Weights.FP16);
        GpuCostModel.Decode one = fp16.decode(1, 1024);
        assertEquals(3_399_196_672.0 + 100_663_296 + 374_308, one.bytes(), 0.5);
        assertEquals(3_500_234_276.0 / (3.35e12 * 0.8) * 1e3, one.ms(), 1e-9);
        assertEquals(1.3061, one.ms(), 1e-4);
        assertEquals("bandwidth", one.boundBy());

        GpuCostModel.Decode wide = fp16.decode(64, 4096);
        assertEquals(3_399_196_672.0 + 64 * (402_653_184.0 + 374_308), wide.bytes(), 0.5);
        assertEquals(10.893, wide.ms(), 1e-3);
        // FLOPs per token: 2 × 1,699,497,984 weights + attention 4 × 24 × 16 × 128 × 4096
        assertEquals(2.0 * 1_699_497_984L + 4.0 * 24 * 16 * 128 * 4096, fp16.decodeFlopsPerToken(4096), 1);
        assertEquals(64 * 4_204_302_336.0 / (989e12 * 0.6) * 1e3, wide.computeMs(), 1e-9);
        assertTrue(wide.computeMs() < wide.bandwidthMs() / 20, "decode is far from the compute bound");
        assertTrue(wide.fits());
        // 64 rows of 4k positions do not fit next to the weights in an L4's 24 GB
        assertFalse(new GpuCostModel(MONO_2B, GpuCostModel.Weights.FP16, GpuSpec.L4, GpuCostModel.Assumptions.DEFAULT)
                .decode(64, 4096)
                .fits());
    }

    @Test
    void hostTrafficPerStep() {
        GpuCostModel.HostTraffic t = model(GpuCostModel.Weights.FP16).hostTraffic(16, 4096);
        assertEquals(16 * (8 + 4) + 4, t.deviceResidentUpBytes());
        assertEquals(16L * 4 * 92553, t.deviceResidentDownBytes());
        assertEquals((196 + 5_923_392) / (64e9 * 0.8) * 1e3, t.deviceResidentMs(), 1e-9);
        // the old design: 16 rows × 4096 positions × 98,304 B = 6 GiB up and again down, every step
        assertEquals(6_442_450_944L, t.hostResidentKvBytesEachWay());
        assertEquals(2 * 6_442_450_944.0 / (64e9 * 0.8) * 1e3, t.hostResidentMs(), 1e-9);
        assertEquals(251.66, t.hostResidentMs(), 0.01);
    }

    @Test
    void prefillFlopsFromTheShapes() {
        GpuCostModel fp16 = model(GpuCostModel.Weights.FP16);
        // conv 3→1024, 14×14 kernel, over 1024 patches; projector 4096→2048→2048 over 256 tokens
        double vision = 2.0 * 3 * 14 * 14 * 1024 * 1024 + 2.0 * (4096 * 2048 + 2048 * 2048) * 256;
        assertEquals(7_675_576_320.0, vision);
        assertEquals(vision, fp16.visionFlopsPerTile(), 1);
        assertEquals(2.0 * 24 * (4096 * 2048 + 2048 * 2048 + 2 * 3 * 8192 * 2048), fp16.decoderFlopsPerToken(true), 1);
        assertEquals(5_435_817_984.0, fp16.decoderFlopsPerToken(true), 1);
        assertEquals(3_019_898_880.0, fp16.decoderFlopsPerToken(false), 1);
        // first tile: attention over 1..256 positions = 256 × 257 / 2 = 32,896 query-key pairs per head
        double attention = 4.0 * 24 * 16 * 128 * 32_896;
        assertEquals(vision + 256 * 5_435_817_984.0 + attention, fp16.tileFlops(0), 1);

        // a 13-tile page: 13 × 256 + 60 = 3388 tokens
        GpuCostModel.Prefill page = fp16.prefill(13);
        assertEquals(3388, page.tokens());
        double pageAttention = 4.0 * 24 * 16 * 128 * (3388.0 * 3389 / 2);
        double flops = 13 * vision + 3388 * 5_435_817_984.0 + pageAttention + 2.0 * 92553 * 2048;
        assertEquals(flops, page.flops(), 1e3);
        assertEquals(flops / (989e12 * 0.6) * 1e3, page.ms(), 1e-9);
        assertEquals(33.11, page.ms(), 0.01);
        assertEquals(page.ms() / 13, page.msPerTile(), 1e-12);
    }

    @Test
    void pagesPerSecondAtBatch16And64() {
        GpuCostModel fp16 = model(GpuCostModel.Weights.FP16);
        GpuCostModel.PageRate b16 = fp16.pageRate(13, 1024, 16);
        assertEquals(3388 + 512, b16.meanContext());
        double step16 = (3_399_196_672.0 + 16 * (3900 * 98_304.0 + 374_308)) / (3.35e12 * 0.8) * 1e3;
        assertEquals(step16, b16.stepMs(), 1e-9);
        assertEquals(1e3 / (33.10656 + 1024 * step16 / 16), b16.pagesPerSecond(), 1e-4);
        assertEquals(3.83, b16.pagesPerSecond(), 0.01);
        assertEquals(5.00, fp16.pageRate(13, 1024, 64).pagesPerSecond(), 0.01);
    }

    @Test
    void reportPrints() {
        GpuCostModel fp16 = model(GpuCostModel.Weights.FP16);
        GpuCostModel.Report report = fp16.report(List.of(1, 16, 64), List.of(1024, 4096), 13, 1024, List.of(16, 64));
        assertEquals(6, report.decode().size());
        StringWriter text = new StringWriter();
        GpuCostTable.print(fp16, report, new PrintWriter(text));
        assertTrue(text.toString().contains("| 64 | 4096 | 29.19 |"), text.toString());
        assertTrue(text.toString().contains("Datasheet figures (assumed, not measured)"));
    }
}
