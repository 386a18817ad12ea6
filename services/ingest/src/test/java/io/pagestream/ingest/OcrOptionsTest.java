package io.pagestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.api.SubmissionResponses;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import io.pagestream.schema.OcrMode;
import org.junit.jupiter.api.Test;

/** The mode and grounding form fields as clients write them, and the refusals of what they may not. */
class OcrOptionsTest {

    @Test
    void absentOrBlankFieldsTakeTheDefaults() throws Rejected {
        assertEquals(new OcrOptions(OcrMode.MARKDOWN, false), OcrOptions.parse(null, null, OcrMode.MARKDOWN));
        assertEquals(new OcrOptions(OcrMode.TEXT, false), OcrOptions.parse(" ", "", OcrMode.TEXT));
    }

    @Test
    void modesAndBooleansInAnyCase() throws Rejected {
        assertEquals(new OcrOptions(OcrMode.LAYOUT, true), OcrOptions.parse("Layout", "TRUE", OcrMode.MARKDOWN));
        assertEquals(new OcrOptions(OcrMode.TEXT, false), OcrOptions.parse(" text ", "False", OcrMode.MARKDOWN));
        assertEquals(new OcrOptions(OcrMode.MARKDOWN, true), OcrOptions.parse("MARKDOWN", "true", OcrMode.LAYOUT));
    }

    @Test
    void anUnknownModeOrANonBooleanIsABadRequestThatSaysWhatIsAllowed() {
        Rejected mode = assertThrows(Rejected.class, () -> OcrOptions.parse("handwriting", null, OcrMode.MARKDOWN));
        assertEquals(Reason.INVALID_REQUEST, mode.reason());
        assertEquals(400, SubmissionResponses.status(mode.reason()));
        assertEquals("unknown mode 'handwriting' (modes are text, markdown, layout)", mode.getMessage());

        for (String bad : new String[] {"yes", "1", "on", "truely"}) {
            Rejected ground = assertThrows(Rejected.class, () -> OcrOptions.parse(null, bad, OcrMode.MARKDOWN));
            assertEquals(400, SubmissionResponses.status(ground.reason()));
            assertTrue(
                    ground.getMessage().contains("groundAnswers must be true or false, not '" + bad + "'"),
                    ground.getMessage());
        }
    }
}
