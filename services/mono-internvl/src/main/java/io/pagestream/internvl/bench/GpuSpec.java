package io.pagestream.internvl.bench;

import java.util.List;
import java.util.Locale;

/**
 * A GPU as its vendor's datasheet describes it: the figures the cost model divides by. None of these was measured by
 * this project; they are peak figures, and {@link GpuCostModel.Assumptions} says what share of them the model expects.
 *
 * @param key             the short name the command line takes ({@code h100}, ...)
 * @param name            the product, as the datasheet names it
 * @param memoryBytes     device memory
 * @param hbmBytesPerSec  device memory bandwidth
 * @param denseFp16Flops  dense (not 2:4 sparse) FP16/BF16 tensor-core FLOP/s
 * @param hostLinkBytesPerSec host link bandwidth, one direction (PCIe x16)
 * @param hostLink        the host link, in words
 */
public record GpuSpec(
        String key,
        String name,
        long memoryBytes,
        double hbmBytesPerSec,
        double denseFp16Flops,
        double hostLinkBytesPerSec,
        String hostLink) {

    /** NVIDIA H100 SXM5 80 GB: 3.35 TB/s HBM3, 989 TFLOP/s dense FP16/BF16 (1,979 with sparsity), PCIe Gen5 x16. */
    public static final GpuSpec H100 = new GpuSpec(
            "h100", "NVIDIA H100 SXM 80 GB", 80_000_000_000L, 3.35e12, 989e12, 64e9, "PCIe Gen5 x16, 64 GB/s each way");
    /** NVIDIA H200 SXM 141 GB: 4.8 TB/s HBM3e, the H100's compute. */
    public static final GpuSpec H200 = new GpuSpec(
            "h200",
            "NVIDIA H200 SXM 141 GB",
            141_000_000_000L,
            4.8e12,
            989e12,
            64e9,
            "PCIe Gen5 x16, 64 GB/s each way");
    /** NVIDIA A100 SXM 80 GB: 2.039 TB/s HBM2e, 312 TFLOP/s dense FP16/BF16, PCIe Gen4 x16. */
    public static final GpuSpec A100 = new GpuSpec(
            "a100",
            "NVIDIA A100 SXM 80 GB",
            80_000_000_000L,
            2.039e12,
            312e12,
            32e9,
            "PCIe Gen4 x16, 32 GB/s each way");
    /** NVIDIA L4 24 GB: 300 GB/s GDDR6, 121 TFLOP/s dense FP16/BF16 (242 with sparsity), PCIe Gen4 x16. */
    public static final GpuSpec L4 = new GpuSpec(
            "l4", "NVIDIA L4 24 GB", 24_000_000_000L, 300e9, 121e12, 32e9, "PCIe Gen4 x16, 32 GB/s each way");

    public static final List<GpuSpec> ALL = List.of(H100, H200, A100, L4);

    public static GpuSpec of(String key) {
        String wanted = key.toLowerCase(Locale.ROOT);
        return ALL.stream()
                .filter(g -> g.key.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no GPU named " + key + " (known: "
                        + String.join(", ", ALL.stream().map(GpuSpec::key).toList()) + ")"));
    }
}
