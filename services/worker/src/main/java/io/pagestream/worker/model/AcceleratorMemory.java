package io.pagestream.worker.model;

import java.util.OptionalLong;

/** Memory of the device the model runs on, where it can be read. */
public interface AcceleratorMemory {

    /** What this memory is, for logs and metric tags: {@code cpu} or {@code cuda:0}. */
    String device();

    OptionalLong totalBytes();

    OptionalLong freeBytes();

    default OptionalLong usedBytes() {
        OptionalLong total = totalBytes();
        OptionalLong free = freeBytes();
        return total.isPresent() && free.isPresent()
                ? OptionalLong.of(total.getAsLong() - free.getAsLong())
                : OptionalLong.empty();
    }
}
