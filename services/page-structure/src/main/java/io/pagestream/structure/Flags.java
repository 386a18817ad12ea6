package io.pagestream.structure;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Immutable flag sets that iterate in declaration order (so printed pages compare stably). */
final class Flags {
    private Flags() {}

    static Set<Flag> copyOf(Collection<Flag> flags) {
        EnumSet<Flag> copy = EnumSet.noneOf(Flag.class);
        copy.addAll(flags);
        return Collections.unmodifiableSet(copy);
    }
}
