package io.pagestream.structure;

/** A flag raised at an offset of the tag-free text; the block holding that offset carries it. */
record Issue(int offset, Flag flag) {}
