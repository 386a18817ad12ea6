package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.LlmConfig;
import org.junit.jupiter.api.Test;

class QkvLayoutTest {
    private static final LlmConfig REAL = ConfigJson.read(
                    FixtureCheckpoint.resource("model-configs/mono-internvl-2b/config.json"))
            .llm();

    /** The rows the spec lists for the real model: 512 per KV head, queries 2h and 2h+1, then key h, value h. */
    @Test
    void realModelRowsFollowTheSpec() {
        QkvLayout layout = QkvLayout.of(REAL);
        assertEquals(0, layout.queryRow(0, 0));
        assertEquals(128, layout.queryRow(1, 0));
        assertEquals(256, layout.keyRow(0, 0));
        assertEquals(384, layout.valueRow(0, 0));
        assertEquals(512 + 5, layout.queryRow(2, 5));
        assertEquals(512 + 255, layout.queryRow(3, 127));
        assertEquals(7 * 512 + 256, layout.keyRow(7, 0));
        assertEquals(4095, layout.valueRow(7, 127));
        assertEquals(REAL.qkvRows(), 4096);
    }

    @Test
    void queryHeadsShareKvHeadsInPairs() {
        QkvLayout layout = QkvLayout.of(REAL);
        int[] kvHeads = new int[REAL.numAttentionHeads()];
        for (int head = 0; head < kvHeads.length; head++) {
            kvHeads[head] = layout.kvHeadOf(head);
        }
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7}, kvHeads);
    }

    /** Head dimension 2, 2 queries per KV head: each group is 8 rows q q q q k k v v. */
    @Test
    void splitPicksEachHeadsRows() {
        QkvLayout layout = new QkvLayout(2, 2);
        float[] qkv = new float[16];
        for (int row = 0; row < qkv.length; row++) {
            qkv[row] = row;
        }
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9, 10, 11}, layout.queries(qkv, 4));
        assertArrayEquals(new float[] {4, 5, 12, 13}, layout.keys(qkv, 2));
        assertArrayEquals(new float[] {6, 7, 14, 15}, layout.values(qkv, 2));
    }
}
