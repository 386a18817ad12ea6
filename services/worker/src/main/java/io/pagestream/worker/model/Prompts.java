package io.pagestream.worker.model;

import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.Task;
import io.pagestream.worker.WorkerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The instructions given to the model, as configured. The engine wraps each in the model's chat template with the
 * page image in front, so these are plain text; in the question templates {@code {question}} is the question itself
 * and {@code {no-answer}} the reply asked for when the page does not answer.
 *
 * @param ocrText       the OCR instruction of a TEXT page
 * @param ocrMarkdown   of a MARKDOWN page
 * @param ocrLayout     of a LAYOUT page
 * @param noAnswerReply what the model is told to reply when the page does not answer a question
 */
public record Prompts(
        String ocrText,
        String ocrMarkdown,
        String ocrLayout,
        String questionTemplate,
        String groundedQuestionTemplate,
        String noAnswerReply,
        int ocrMaxNewTokens,
        int questionMaxNewTokens) {
    public static final String QUESTION_PLACEHOLDER = "{question}";
    public static final String NO_ANSWER_PLACEHOLDER = "{no-answer}";

    public Prompts {
        if (ocrText.isBlank() || ocrMarkdown.isBlank() || ocrLayout.isBlank()) {
            throw new IllegalArgumentException("an OCR prompt is empty");
        }
        for (String template : List.of(questionTemplate, groundedQuestionTemplate)) {
            if (!template.contains(QUESTION_PLACEHOLDER)) {
                throw new IllegalArgumentException(
                        "a question prompt must contain " + QUESTION_PLACEHOLDER + ": " + template);
            }
        }
        if (noAnswerReply.isBlank()) {
            throw new IllegalArgumentException("the no-answer reply is empty");
        }
        if (ocrMaxNewTokens < 1 || questionMaxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1");
        }
    }

    public static Prompts of(WorkerConfig.Prompts config) {
        return new Prompts(
                config.ocrText(),
                config.ocrMarkdown(),
                config.ocrLayout(),
                config.question(),
                config.groundedQuestion(),
                config.noAnswerReply(),
                config.ocrMaxNewTokens(),
                config.questionMaxNewTokens());
    }

    public String ocr(OcrMode mode) {
        return switch (mode) {
            case TEXT -> ocrText;
            case MARKDOWN -> ocrMarkdown;
            case LAYOUT -> ocrLayout;
        };
    }

    public String question(String question, boolean grounded) {
        // The reply first: a question that happens to spell the placeholder keeps it.
        return (grounded ? groundedQuestionTemplate : questionTemplate)
                .replace(NO_ANSWER_PLACEHOLDER, noAnswerReply)
                .replace(QUESTION_PLACEHOLDER, question);
    }

    /**
     * The prompts of a page, OCR first (when asked for, in the page's mode), then every question in order (when QA
     * is asked for, grounded when the document asked for it). Greedy decoding, so re-processing a page writes the
     * same text.
     */
    public List<PromptSpec> forPage(PageImage page) {
        List<PromptSpec> specs = new ArrayList<>();
        if (page.getTasks().contains(Task.OCR)) {
            specs.add(PromptSpec.ocr(GenerationRequest.of(ocr(page.getOcrMode()), ocrMaxNewTokens)));
        }
        if (page.getTasks().contains(Task.QA)) {
            List<String> questions = page.getQuestions();
            for (int i = 0; i < questions.size(); i++) {
                specs.add(PromptSpec.question(
                        i,
                        questions.get(i),
                        GenerationRequest.of(
                                question(questions.get(i), page.getGroundAnswers()), questionMaxNewTokens)));
            }
        }
        return List.copyOf(specs);
    }
}
