package io.pagestream.internvl.engine;

import java.util.BitSet;

/**
 * Which KV slots are in use. The lowest free slot is handed out first, so active sequences stay packed towards
 * slot 0 and a decode step over slots 0..{@link #end()}−1 carries few idle rows.
 */
final class SlotAllocator {
    private final int slots;
    private final BitSet used = new BitSet();

    SlotAllocator(int slots) {
        this.slots = slots;
    }

    int free() {
        return slots - used.cardinality();
    }

    int inUse() {
        return used.cardinality();
    }

    /** @throws IllegalStateException when none is free */
    int take() {
        int slot = used.nextClearBit(0);
        if (slot >= slots) {
            throw new IllegalStateException("no free KV slot");
        }
        used.set(slot);
        return slot;
    }

    void release(int slot) {
        if (!used.get(slot)) {
            throw new IllegalStateException("slot " + slot + " is not in use");
        }
        used.clear(slot);
    }

    /** One past the highest slot in use; 0 when none is. */
    int end() {
        return used.length();
    }
}
