package io.pagestream.internvl.engine;

/** Where the engine keeps its KV cache, and so which path its steps take. */
public enum KvResidence {
    /**
     * On the device the decoder session computes on (host memory with the CPU provider, GPU memory with CUDA),
     * allocated by the session and bound once through ORT's IoBinding; a decode step moves only token ids, lengths
     * and logits between host and device. The default.
     */
    DEVICE,
    /**
     * In Java's host memory, handed to ORT through its Java API on every run. On the CPU provider it computes the
     * same as {@link #DEVICE}; on CUDA ORT would copy the whole cache to the device and back each step. Kept to
     * compare the two and as a fallback.
     */
    HOST
}
