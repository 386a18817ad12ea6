package io.pagestream.worker.model;

import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.schema.Task;
import io.pagestream.worker.WorkerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The instructions given to the model, as configured. The engine wraps each in the model's chat template with the
 * page image in front, so these are plain text; {@code {question}} in the question template is the question itself.
 */
public record Prompts(String ocr, String questionTemplate, int ocrMaxNewTokens, int questionMaxNewTokens) {
    public static final String QUESTION_PLACEHOLDER = "{question}";

    public Prompts {
        if (ocr.isBlank()) {
            throw new IllegalArgumentException("the OCR prompt is empty");
        }
        if (!questionTemplate.contains(QUESTION_PLACEHOLDER)) {
            throw new IllegalArgumentException("the question prompt must contain " + QUESTION_PLACEHOLDER + ": "
                    + questionTemplate);
        }
        if (ocrMaxNewTokens < 1 || questionMaxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1");
        }
    }

    public static Prompts of(WorkerConfig.Prompts config) {
        return new Prompts(config.ocr(), config.question(), config.ocrMaxNewTokens(),
                config.questionMaxNewTokens());
    }

    public String question(String question) {
        return questionTemplate.replace(QUESTION_PLACEHOLDER, question);
    }

    /**
     * The prompts of a page, OCR first (when asked for), then every question in order (when QA is asked for).
     * Greedy decoding, so re-processing a page writes the same text.
     */
    public List<PromptSpec> forPage(List<Task> tasks, List<String> questions) {
        List<PromptSpec> specs = new ArrayList<>();
        if (tasks.contains(Task.OCR)) {
            specs.add(PromptSpec.ocr(GenerationRequest.of(ocr, ocrMaxNewTokens)));
        }
        if (tasks.contains(Task.QA)) {
            for (int i = 0; i < questions.size(); i++) {
                specs.add(PromptSpec.question(i, questions.get(i),
                        GenerationRequest.of(question(questions.get(i)), questionMaxNewTokens)));
            }
        }
        return List.copyOf(specs);
    }
}
