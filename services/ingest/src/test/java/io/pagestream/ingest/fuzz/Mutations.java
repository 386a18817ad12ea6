package io.pagestream.ingest.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random damage to a good file, of the kinds that break parsers: flipped bits, a cut-off end, a chunk repeated or
 * removed, and corrupted length fields (binary size fields, and the numbers a PDF's dictionaries give for lengths,
 * sizes and counts). Deterministic for a given {@link Random}.
 */
public final class Mutations {
    /** Numbers that parsers meet as lengths, sizes and counts. */
    private static final Pattern PDF_NUMBER =
            Pattern.compile("/(Length|Width|Height|Count|Size|N|BitsPerComponent|Columns|Predictor|First) (\\d+)");

    private static final long[] SPECIAL = {0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};

    private Mutations() {}

    /** One to three mutations of {@code data}; {@code applied} receives their names. */
    public static byte[] mutate(byte[] data, Random random, StringBuilder applied) {
        byte[] out = data;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && out.length > 0; i++) {
            int kind = random.nextInt(6);
            applied.append(applied.isEmpty() ? "" : "+");
            out = switch (kind) {
                case 0 -> {
                    applied.append("bit-flips");
                    yield flipBits(out, random);
                }
                case 1 -> {
                    applied.append("truncate");
                    yield Arrays.copyOf(out, random.nextInt(out.length));
                }
                case 2 -> {
                    applied.append("duplicate-chunk");
                    yield duplicateChunk(out, random);
                }
                case 3 -> {
                    applied.append("remove-chunk");
                    yield removeChunk(out, random);
                }
                case 4 -> {
                    applied.append("length-field");
                    yield corruptLengthField(out, random);
                }
                default -> {
                    applied.append("pdf-number");
                    yield corruptPdfNumber(out, random);
                }
            };
        }
        return out;
    }

    static byte[] flipBits(byte[] data, Random random) {
        byte[] out = data.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(out.length);
            out[at] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    static byte[] duplicateChunk(byte[] data, Random random) {
        int from = random.nextInt(data.length);
        int length = 1 + random.nextInt(Math.min(data.length - from, 4096));
        int at = random.nextInt(data.length + 1);
        byte[] out = new byte[data.length + length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, from, out, at, length);
        System.arraycopy(data, at, out, at + length, data.length - at);
        return out;
    }

    static byte[] removeChunk(byte[] data, Random random) {
        int from = random.nextInt(data.length);
        int length = 1 + random.nextInt(Math.min(data.length - from, 4096));
        byte[] out = new byte[data.length - length];
        System.arraycopy(data, 0, out, 0, from);
        System.arraycopy(data, from + length, out, from, data.length - from - length);
        return out;
    }

    /** A 2- or 4-byte field, big- or little-endian, set to a value parsers choke on. */
    static byte[] corruptLengthField(byte[] data, Random random) {
        byte[] out = data.clone();
        int width = random.nextBoolean() ? 4 : 2;
        if (out.length < width) {
            return flipBits(out, random);
        }
        // Headers hold most size fields: favour the first KiB.
        int limit = random.nextBoolean() ? Math.min(out.length, 1024) : out.length;
        int at = random.nextInt(limit - width + 1);
        long value = random.nextInt(4) == 0 ? random.nextLong() : SPECIAL[random.nextInt(SPECIAL.length)];
        boolean bigEndian = random.nextBoolean();
        for (int i = 0; i < width; i++) {
            int shift = 8 * (bigEndian ? width - 1 - i : i);
            out[at + i] = (byte) (value >>> shift);
        }
        return out;
    }

    /** A number in a PDF dictionary ({@code /Length}, {@code /Width}, {@code /Count} …) made huge, zero or negative. */
    static byte[] corruptPdfNumber(byte[] data, Random random) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        Matcher m = PDF_NUMBER.matcher(text);
        int found = 0;
        while (m.find()) {
            found++;
        }
        if (found == 0) {
            return corruptLengthField(data, random);
        }
        int pick = random.nextInt(found);
        m.reset();
        for (int i = 0; i <= pick; i++) {
            m.find();
        }
        String[] values = {"0", "-1", "2147483647", "2147483648", "99999999999999999999", "1e9", "3.5"};
        String replaced =
                text.substring(0, m.start(2)) + values[random.nextInt(values.length)] + text.substring(m.end(2));
        return replaced.getBytes(StandardCharsets.ISO_8859_1);
    }
}
