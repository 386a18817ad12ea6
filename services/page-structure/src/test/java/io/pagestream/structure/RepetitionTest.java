package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RepetitionTest {
    @Test
    void cutsARepeatedLineToItsFirstCopyEvenWhenTheLastIsPartial() {
        String text = "Intro\n" + "| 12:00 | gate check | cleared |\n".repeat(6) + "| 12:00 | ga";
        assertEquals(new Repetition.Cut("Intro\n| 12:00 | gate check | cleared |", true), Repetition.cut(text));
    }

    @Test
    void cutsARepeatedBlockOfLines() {
        String block = "Name: Jane Roe\nDate: 2024-05-01\n\n";
        String text = "Form\n\n" + block.repeat(5) + "Name: Ja";
        assertEquals(new Repetition.Cut("Form\n\nName: Jane Roe\nDate: 2024-05-01", true), Repetition.cut(text));
    }

    @Test
    void cutsALoopWithinALine() {
        String text = "Terms apply. " + "the the ".repeat(20) + "th";
        // the loop's first copy is " the", the rotation that starts where the repeating does
        assertEquals(new Repetition.Cut("Terms apply. the", true), Repetition.cut(text));
    }

    @Test
    void leavesLegitimateRepeatsAlone() {
        String[] texts = {
            "| | | |\n".repeat(8), // empty table rows: no letter or digit
            "Contents ........................................................ 3",
            "- item\n".repeat(4), // four copies, under the threshold
            "ok\n".repeat(12), // 12 copies but 35 characters
            "A\nB\nA\nB\nC",
        };
        for (String text : texts) {
            assertFalse(Repetition.cut(text).cut(), text);
            assertEquals(text, Repetition.cut(text).text());
        }
    }

    @Test
    void thresholdsAreTheDocumentedOnes() {
        String line = "| 12:00 | gate check | cleared |\n"; // 32 characters
        assertFalse(
                Repetition.cut("x\n" + line.repeat(Repetition.MIN_COPIES - 1)).cut());
        assertEquals(
                true, Repetition.cut("x\n" + line.repeat(Repetition.MIN_COPIES)).cut());
    }
}
