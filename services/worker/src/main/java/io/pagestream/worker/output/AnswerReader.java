package io.pagestream.worker.output;

import io.pagestream.schema.BoxPlacement;
import io.pagestream.structure.Block;
import io.pagestream.structure.Mode;
import io.pagestream.structure.PageGeometry;
import io.pagestream.structure.PageOutputParser;
import io.pagestream.structure.ParsedPage;
import io.pagestream.worker.WorkerConfig;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a generated answer: its text without grounding tags, the box it points to, and whether it is a no-answer.
 *
 * <p>The answer is parsed as markdown ({@link PageOutputParser}), so {@code <ref>42 EUR</ref><box>[[…]]</box>}
 * reads as {@code 42 EUR} with its box, and a loop at the end is cut as in OCR. An answer is a no-answer when its
 * confidence is below {@code noAnswerBelow} (the model was guessing), when it is empty, or when it is the reply the
 * prompts ask for when the page does not answer, compared without case, punctuation and extra spaces.
 */
public final class AnswerReader {
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final double noAnswerBelow;
    private final String noAnswerReply;

    /**
     * @param noAnswerBelow answers less confident than this are no-answers; 0 turns the threshold off
     * @param noAnswerReply what the question prompts tell the model to reply when the page does not answer
     */
    public AnswerReader(double noAnswerBelow, String noAnswerReply) {
        if (!(noAnswerBelow >= 0 && noAnswerBelow <= 1)) {
            throw new IllegalArgumentException("the no-answer threshold must be in [0, 1], got " + noAnswerBelow);
        }
        this.noAnswerBelow = noAnswerBelow;
        this.noAnswerReply = comparable(noAnswerReply);
        if (this.noAnswerReply.isEmpty()) {
            throw new IllegalArgumentException("the no-answer reply has no word: " + noAnswerReply);
        }
    }

    public static AnswerReader of(WorkerConfig config) {
        return new AnswerReader(
                config.answers().noAnswerBelow(), config.prompts().noAnswerReply());
    }

    /**
     * @param evidence the box to report, when grounded answers were asked for and the answer gave one; else null
     */
    public record Reading(String text, boolean noAnswer, BoxPlacement evidence) {}

    /**
     * @param grounded whether the document asked for grounded answers: only then is a box reported
     */
    public Reading read(String raw, double confidence, PageGeometry geometry, boolean grounded) {
        ParsedPage parsed = PageOutputParser.parse(raw, geometry, Mode.MARKDOWN, confidence);
        String text = parsed.markdown().strip();
        boolean noAnswer =
                confidence < noAnswerBelow || text.isEmpty() || comparable(text).equals(noAnswerReply);
        BoxPlacement evidence = grounded
                ? parsed.blocks().stream()
                        .map(Block::boxes)
                        .filter(boxes -> !boxes.isEmpty())
                        .findFirst()
                        .map(boxes -> PageStructures.placement(boxes.getFirst()))
                        .orElse(null)
                : null;
        return new Reading(text, noAnswer, evidence);
    }

    private static String comparable(String text) {
        String bare = PUNCTUATION.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        return SPACES.matcher(bare).replaceAll(" ").strip();
    }
}
