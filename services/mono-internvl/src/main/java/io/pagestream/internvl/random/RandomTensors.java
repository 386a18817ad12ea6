package io.pagestream.internvl.random;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Deterministic random tensor values. Every tensor draws from its own stream, seeded from the checkpoint seed and the
 * tensor's name, so its values do not depend on which tensors were written before it. Within a tensor, each chunk of
 * {@link #CHUNK} elements has its own stream too, so chunks are filled in parallel and the result does not depend on
 * the thread count.
 *
 * <p>Only {@link SplittableRandom#nextLong()} and {@code nextDouble()} are used (SplitMix64, unchanged since Java 8),
 * plus {@link StrictMath} for the few Gaussians: {@code nextGaussian()} changed algorithm in Java 17 and
 * {@link Math}'s transcendental functions may differ between platforms, either of which would silently change a
 * checkpoint that committed fixtures were computed from.
 */
public final class RandomTensors {
    static final int CHUNK = 1 << 16;
    private static final long ROW_SCALE_SALT = 0xD1B54A32D192ED03L;
    private static final long CHUNK_SALT = 0x9E3779B97F4A7C15L;
    private static final double SQRT3 = Math.sqrt(3);

    private RandomTensors() {}

    /** The values of tensor {@code name}, row-major. */
    public static float[] values(long seed, String name, List<Integer> shape, TensorInit init) {
        long count = elementCount(shape);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + count + " elements do not fit one Java array");
        }
        float[] values = new float[(int) count];
        long tensorSeed = new SplittableRandom(seed ^ fnv1a64(name)).nextLong();
        int rowLength = shape.isEmpty() || shape.get(0) == 0 ? 1 : (int) (count / shape.get(0));
        float[] rowScales = rowScales(tensorSeed, shape.isEmpty() ? 1 : shape.get(0), init.rowScaleSigma());
        double halfWidth = init.std() * SQRT3;
        int chunks = (int) ((count + CHUNK - 1) / CHUNK);
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            SplittableRandom random =
                    new SplittableRandom(new SplittableRandom(tensorSeed ^ (chunk * CHUNK_SALT)).nextLong());
            int end = (int) Math.min(count, (long) (chunk + 1) * CHUNK);
            for (int i = chunk * CHUNK; i < end; i++) {
                double noise = halfWidth * (2 * random.nextDouble() - 1);
                values[i] = (float) ((init.center() + noise) * rowScales[i / rowLength]);
            }
        });
        return values;
    }

    private static long elementCount(List<Integer> shape) {
        long count = 1;
        for (int dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** Log-normal factors {@code exp(σ·z − σ²)}, all 1 when σ is 0. */
    private static float[] rowScales(long tensorSeed, int rows, double sigma) {
        float[] scales = new float[rows];
        SplittableRandom random = new SplittableRandom(tensorSeed ^ ROW_SCALE_SALT);
        for (int r = 0; r < rows; r++) {
            scales[r] = sigma == 0 ? 1 : (float) StrictMath.exp(sigma * gaussian(random) - sigma * sigma);
        }
        return scales;
    }

    /** Box–Muller with {@link StrictMath}, reproducible on every platform. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes: a fixed, documented hash, unlike {@link String#hashCode()}'s 32 bits. */
    static long fnv1a64(String text) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001B3L;
        }
        return hash;
    }
}
