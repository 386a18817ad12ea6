package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.state.RequestSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of one chunk (or of the whole document, for a query): its pages in order, their text and their markdown
 * joined, and per question the best answer over the whole document with the candidates of the chunk's pages.
 *
 * @param fullText the text of the pages that have one, in page order, separated by form feeds
 * @param markdown the markdown of the same pages, each preceded by {@code <!-- page N -->}, separated by a blank line
 *                 ({@link DocumentMarkdown})
 */
public record ChunkContent(List<PageOutcome> pages, String fullText, String markdown, List<QuestionOutcome> questions) {
    public static final char PAGE_SEPARATOR = '\f';

    public ChunkContent {
        pages = List.copyOf(pages);
        questions = List.copyOf(questions);
    }

    public static ChunkContent read(RequestSummary request, Survey survey, PageSource source, PageRange range) {
        int questionCount = request.questions().size();
        List<PageOutcome> pages = new ArrayList<>(range.size());
        StringBuilder fullText = new StringBuilder();
        DocumentMarkdown markdown = new DocumentMarkdown();
        boolean[] anyText = {false};
        List<List<Candidate>> candidates = new ArrayList<>(questionCount);
        for (int q = 0; q < questionCount; q++) {
            candidates.add(new ArrayList<>());
        }
        PageWalk.over(source, range, (page, result) -> {
            PageOutcome outcome = PageOutcome.of(page, result);
            pages.add(outcome);
            if (outcome.text() != null) {
                if (anyText[0]) {
                    fullText.append(PAGE_SEPARATOR);
                }
                fullText.append(outcome.text());
                anyText[0] = true;
                markdown.add(page, outcome.markdown());
            }
            for (PageResult.Answer answer : Survey.answersOf(result, questionCount)) {
                candidates.get(answer.questionIndex()).add(Survey.candidate(page, answer));
            }
        });
        List<QuestionOutcome> questions = new ArrayList<>(questionCount);
        for (int q = 0; q < questionCount; q++) {
            questions.add(new QuestionOutcome(q, request.questions().get(q), survey.best(q), candidates.get(q)));
        }
        return new ChunkContent(pages, fullText.toString(), markdown.toString(), questions);
    }
}
