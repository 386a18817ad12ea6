package io.pagestream.internvl.reference;

/** Token ids to input rows: embedding lookup, with every {@code <IMG_CONTEXT>} position taking the next image row. */
final class InputEmbedder {
    /** {@code <IMG_CONTEXT>}, the placeholder each projector row replaces. */
    static final int IMG_CONTEXT = 92546;

    private InputEmbedder() {}

    /**
     * @param rows   the decoder's input rows
     * @param visual per row, whether it is an image row (routed to {@code feed_forward_ve} in prefill)
     */
    record Embedded(float[][] rows, boolean[] visual) {}

    /** {@code imageRows} may be null or empty for a text-only prompt; its count must match the placeholders. */
    static Embedded embed(int[] ids, float[][] imageRows, float[] embeddings, int hidden) {
        int available = imageRows == null ? 0 : imageRows.length;
        float[][] rows = new float[ids.length][];
        boolean[] visual = new boolean[ids.length];
        int next = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == IMG_CONTEXT) {
                if (next == available) {
                    throw new IllegalArgumentException(
                            "more <IMG_CONTEXT> tokens than the " + available + " image rows given");
                }
                rows[i] = imageRows[next++].clone();
                visual[i] = true;
            } else {
                rows[i] = lookup(ids[i], embeddings, hidden);
            }
        }
        if (next != available) {
            throw new IllegalArgumentException(available + " image rows given for " + next + " <IMG_CONTEXT> tokens");
        }
        return new Embedded(rows, visual);
    }

    /** Row {@code id} of the embedding table. */
    static float[] lookup(int id, float[] embeddings, int hidden) {
        int vocab = embeddings.length / hidden;
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + vocab);
        }
        float[] row = new float[hidden];
        System.arraycopy(embeddings, id * hidden, row, 0, hidden);
        return row;
    }
}
