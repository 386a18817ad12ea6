package io.pagestream.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.Task;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptsTest {
    private static final Prompts CUSTOM = new Prompts(
            "T", "M", "L", "Q: {question} else {no-answer}", "G: {question} boxed, else {no-answer}", "Nope.", 100, 10);

    @Test
    void theOcrPromptFollowsThePagesModeAndQuestionsTheirGrounding() {
        PageImage page = Pages.page("doc", 0, 1, new byte[0], List.of("What is due?", "Who signed?"));
        for (OcrMode mode : OcrMode.values()) {
            page.setOcrMode(mode);
            assertEquals(
                    mode.name().substring(0, 1),
                    CUSTOM.forPage(page).getFirst().request().prompt());
        }
        assertEquals(
                List.of("Q: What is due? else Nope.", "Q: Who signed? else Nope."),
                CUSTOM.forPage(page).stream()
                        .skip(1)
                        .map(p -> p.request().prompt())
                        .toList());
        page.setGroundAnswers(true);
        List<PromptSpec> grounded = CUSTOM.forPage(page);
        assertEquals(
                "G: Who signed? boxed, else Nope.", grounded.get(2).request().prompt());
        assertEquals(1, grounded.get(2).questionIndex());
        assertEquals(10, grounded.get(2).request().maxNewTokens());
        assertEquals(100, grounded.getFirst().request().maxNewTokens());
    }

    @Test
    void aPageWithoutOcrAsksOnlyItsQuestions() {
        PageImage page = Pages.page("doc", 0, 1, new byte[0], List.of("Why {no-answer}?"));
        page.setTasks(List.of(Task.QA));
        assertEquals(
                List.of("Q: Why {no-answer}? else Nope."),
                CUSTOM.forPage(page).stream().map(p -> p.request().prompt()).toList(),
                "the question is the client's text, placeholders and all");
    }

    @Test
    void theDefaultsReadAsWrittenAndTellTheModelWhatToReply() {
        WorkerConfig.Prompts config = Configs.worker(Map.of()).prompts();
        Prompts prompts = Prompts.of(config);
        assertTrue(
                prompts.ocr(OcrMode.MARKDOWN).contains("between $$ and $$ ($ and $ inline)"),
                "no config expression ate the dollars: " + prompts.ocr(OcrMode.MARKDOWN));
        assertTrue(prompts.ocr(OcrMode.LAYOUT).contains("<ref>its text</ref><box>[[x1, y1, x2, y2]]</box>"));
        assertTrue(prompts.ocr(OcrMode.TEXT).startsWith("Read all the text in the image"));
        assertEquals("Not on this page.", config.noAnswerReply());
        for (boolean grounded : List.of(false, true)) {
            String question = prompts.question("What is due?", grounded);
            assertTrue(question.startsWith("What is due?\n"), question);
            assertTrue(question.endsWith("reply: Not on this page."), question);
            assertEquals(grounded, question.contains("<ref>the answer</ref><box>[[x1, y1, x2, y2]]</box>"), question);
        }
        assertEquals(0.2, Configs.worker(Map.of()).answers().noAnswerBelow());
    }

    @Test
    void templatesWithoutTheQuestionAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Prompts("T", "M", "L", "{question}", "no placeholder", "Nope.", 1, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Prompts("T", " ", "L", "{question}", "{question}", "Nope.", 1, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> Prompts.of(Configs.worker(Map.of("pagestream.worker.prompts.question", "Answer briefly."))
                        .prompts()));
    }
}
