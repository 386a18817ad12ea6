package io.pagestream.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.schema.PageImage;
import io.pagestream.topics.Topics;
import io.pagestream.worker.model.PromptSpec;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.PageFailedException;
import io.pagestream.worker.output.Stage;
import io.pagestream.worker.output.UnaskedQuestion;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.ScriptedEngine;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class PageDecoderTest {
    /** Prompts are built from the record alone: no deserializer or engine is reached. */
    private final PageDecoder decoder = new PageDecoder(
            Topics.DOCUMENTS_PAGES.name(),
            null,
            null,
            Prompts.of(Configs.worker(Map.of()).prompts()),
            1_000_000);

    @Test
    void aPageWithoutAnImageSizeIsRefusedBeforeAnyImageWork() throws PageFailedException {
        PageImage page = Pages.page("doc", 0, 1, Pages.corrupt(), List.of("Total?"));
        assertEquals(2, decoder.prompts(page).size());
        page.setHeight(0);
        PageFailedException e = assertThrows(PageFailedException.class, () -> decoder.prompts(page));
        assertEquals(Failure.CORRUPT_IMAGE, e.failure().reasonCode());
        assertEquals(Stage.DECODE, e.failure().stage());
        assertEquals(
                "the record gives the image size as 448×0 pixels", e.failure().message());
    }

    @Test
    void aQuestionTooLongForAKvSlotFailsAloneAndTheOcrStays() throws PageFailedException {
        // 4 + length/8 tokens a prompt plus 64 for the image: 200 hold the OCR prompt and short questions.
        try (ScriptedEngine engine = new ScriptedEngine(4, 200, 100, 1)) {
            PageDecoder sized = new PageDecoder(
                    Topics.DOCUMENTS_PAGES.name(),
                    null,
                    engine,
                    Prompts.of(Configs.worker(Map.of()).prompts()),
                    1 << 20);
            PageImage page =
                    Pages.page("doc", 0, 1, Pages.png(64, 48, 1), List.of("Total?", "x".repeat(2000), "Date?"));
            PreparedPage prepared = sized.prepare(task(0), page, sized.prompts(page));
            assertEquals(
                    List.of(-1, 0, 2),
                    prepared.prompts().stream().map(PromptSpec::questionIndex).toList(),
                    "OCR and the questions that fit");
            UnaskedQuestion unasked = prepared.unasked().getFirst();
            assertEquals(1, prepared.unasked().size());
            assertEquals(1, unasked.questionIndex());
            assertEquals(Failure.TOO_LARGE, unasked.failure().reasonCode());
            assertTrue(
                    unasked.failure().message().startsWith("question 1: "),
                    unasked.failure().message());
            assertFalse(prepared.isolated());
        }
    }

    @Test
    void anOcrPromptTooLongForAKvSlotStillFailsThePage() {
        try (ScriptedEngine engine = new ScriptedEngine(4, 80, 100, 1)) {
            PageDecoder sized = new PageDecoder(
                    Topics.DOCUMENTS_PAGES.name(),
                    null,
                    engine,
                    Prompts.of(Configs.worker(Map.of()).prompts()),
                    1 << 20);
            PageImage page = Pages.page("doc", 0, 1, Pages.png(64, 48, 1), List.of());
            PageFailedException e =
                    assertThrows(PageFailedException.class, () -> sized.prepare(task(0), page, sized.prompts(page)));
            assertEquals(Failure.TOO_LARGE, e.failure().reasonCode());
        }
    }

    @Test
    void aPageAWorkerDiedOnRunsAlone() throws PageFailedException {
        try (ScriptedEngine engine = new ScriptedEngine(4, 4096, 100, 1)) {
            PageDecoder sized = new PageDecoder(
                    Topics.DOCUMENTS_PAGES.name(),
                    null,
                    engine,
                    Prompts.of(Configs.worker(Map.of()).prompts()),
                    1 << 20);
            PageImage page = Pages.page("doc", 0, 1, Pages.png(64, 48, 1), List.of("Total?"));
            assertFalse(sized.prepare(task(0), page, sized.prompts(page)).isolated());
            PreparedPage suspect = sized.prepare(task(1), page, sized.prompts(page));
            assertTrue(suspect.isolated());
            assertTrue(suspect.retry(false).isolated(), "even when retried after running out of memory");
        }
    }

    private static PageTask task(int deaths) {
        return new PageTask(
                new PartitionLease(new TopicPartition(Topics.DOCUMENTS_PAGES.name(), 0)),
                7,
                "doc/0",
                null,
                new RecordHeaders(),
                0,
                deaths);
    }
}
