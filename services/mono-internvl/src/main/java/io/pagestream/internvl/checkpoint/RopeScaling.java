package io.pagestream.internvl.checkpoint;

/**
 * The {@code llm_config.rope_scaling} object.
 *
 * @param type   {@code type}; only {@code dynamic} (HF dynamic NTK) is supported
 * @param factor {@code factor}
 */
public record RopeScaling(String type, double factor) {
    public static final String DYNAMIC = "dynamic";
}
