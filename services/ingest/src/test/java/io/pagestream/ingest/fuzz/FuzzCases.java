package io.pagestream.ingest.fuzz;

import io.pagestream.ingest.TestFiles;
import java.util.List;
import java.util.Random;

/**
 * The fuzz cases: good files of every accepted format (PDF, PNG, JPEG, TIFF, WebP), mutated and sent in a good form,
 * or a good form whose body or Content-Type is mutated. Case {@code i} of a run with seed {@code s} depends on
 * {@code s} and {@code i} alone, so one case is replayed from its own seed ({@link #caseSeed}).
 */
public final class FuzzCases {
    private static final String BOUNDARY = "fuzz-boundary-7d1f";

    record Sample(String name, byte[] data) {}

    /** One request: what it is, for the report, and its bytes. */
    public record FuzzCase(long seed, String label, String contentType, byte[] body) {}

    private final List<Sample> samples = List.of(
            new Sample("pdf", TestFiles.pdf(1, true, true)),
            new Sample("pdf-text", TestFiles.pdf(2, false, false)),
            new Sample("png", TestFiles.encode(TestFiles.noise(96, 64, 7), "png")),
            new Sample("png-grey", TestFiles.encode(TestFiles.stripes(80, 60), "png")),
            new Sample("jpeg", TestFiles.jpegWithOrientation(120, 80, 6)),
            new Sample("tiff", TestFiles.tiff(2, 64, 48)),
            new Sample("webp-lossless", TestFiles.resourceBytes("/images/red-blue-lossless.webp")),
            new Sample("webp-lossy", TestFiles.resourceBytes("/images/red-blue-lossy.webp")));

    /** The seed of case {@code index} of a run seeded {@code runSeed}. */
    public static long caseSeed(long runSeed, long index) {
        long z = runSeed + 0x9E37_79B9_7F4A_7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** The case with its own seed {@code seed}. */
    public FuzzCase of(long seed) {
        Random random = new Random(seed);
        Sample sample = samples.get(random.nextInt(samples.size()));
        StringBuilder applied = new StringBuilder();
        int kind = random.nextInt(10);
        if (kind < 7) {
            byte[] file = Mutations.mutate(sample.data(), random, applied);
            return new FuzzCase(
                    seed,
                    sample.name() + " " + applied,
                    form().contentType(),
                    form(file, random).bytes());
        }
        byte[] good = form(sample.data(), random).bytes();
        if (kind < 9) {
            byte[] body = Mutations.mutate(good, random, applied);
            return new FuzzCase(seed, "form(" + sample.name() + ") " + applied, form().contentType(), body);
        }
        byte[] contentType = Mutations.mutate(
                form().contentType().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), random, applied);
        return new FuzzCase(
                seed,
                "content-type " + applied,
                printable(new String(contentType, java.nio.charset.StandardCharsets.ISO_8859_1)),
                good);
    }

    /** A good document in a good form: what must still be accepted after a fuzz run. */
    public FuzzCase good() {
        MultipartBody form = form().file("good.png", TestFiles.encode(TestFiles.noise(90, 70, 1), "png"));
        return new FuzzCase(0, "good png", form.contentType(), form.bytes());
    }

    private static MultipartBody form() {
        return new MultipartBody(BOUNDARY);
    }

    private static MultipartBody form(byte[] file, Random random) {
        MultipartBody form = form().file("fuzz.bin", file);
        if (random.nextBoolean()) {
            form.field("question", "What is on this page?");
        }
        if (random.nextInt(4) == 0) {
            form.field("mode", "layout");
        }
        return form;
    }

    /** A header value a socket can carry: no line breaks (they would end the header block, not test ingest). */
    private static String printable(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }
}
