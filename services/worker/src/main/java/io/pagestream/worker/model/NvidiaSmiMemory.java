package io.pagestream.worker.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * GPU memory read through {@code nvidia-smi}: ONNX Runtime's Java API exposes no device memory query. Answers are
 * cached for a few seconds, since metrics scrapes ask often and the tool takes tens of milliseconds; where the tool
 * is missing or fails, every figure is empty.
 */
public final class NvidiaSmiMemory implements AcceleratorMemory {
    private static final Duration CACHE = Duration.ofSeconds(5);

    private final int device;
    private long readAtNanos;
    private long[] cached;

    public NvidiaSmiMemory(int device) {
        this.device = device;
    }

    @Override
    public String device() {
        return "cuda:" + device;
    }

    @Override
    public OptionalLong totalBytes() {
        long[] values = read();
        return values == null ? OptionalLong.empty() : OptionalLong.of(values[0]);
    }

    @Override
    public OptionalLong freeBytes() {
        long[] values = read();
        return values == null ? OptionalLong.empty() : OptionalLong.of(values[1]);
    }

    private synchronized long[] read() {
        long now = System.nanoTime();
        if (readAtNanos != 0 && now - readAtNanos < CACHE.toNanos()) {
            return cached;
        }
        readAtNanos = now;
        cached = query();
        return cached;
    }

    private long[] query() {
        try {
            Process process = new ProcessBuilder(
                            "nvidia-smi",
                            "--query-gpu=memory.total,memory.free",
                            "--format=csv,noheader,nounits",
                            "-i",
                            Integer.toString(device))
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                return null;
            }
            String[] parts = out.split(",");
            long mib = 1024L * 1024;
            return new long[] {Long.parseLong(parts[0].trim()) * mib, Long.parseLong(parts[1].trim()) * mib};
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
