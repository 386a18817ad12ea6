package io.pagestream.assembler.topology;

import static io.pagestream.assembler.testing.Results.answer;
import static io.pagestream.assembler.testing.Results.answerOf;
import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.failure;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;
import static io.pagestream.assembler.testing.Results.textOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.assembler.output.PageOutcome;
import io.pagestream.assembler.output.QuestionOutcome;
import io.pagestream.assembler.query.DocumentView;
import io.pagestream.assembler.query.DocumentViews;
import io.pagestream.assembler.state.DocumentProgress;
import io.pagestream.assembler.testing.AssemblerDriver;
import io.pagestream.assembler.testing.Structures;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.registry.testing.InMemorySchemaRegistry;
import io.pagestream.schema.AnswerCandidate;
import io.pagestream.schema.BlockKind;
import io.pagestream.schema.BoundingBox;
import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.LayoutBlock;
import io.pagestream.schema.OcrPage;
import io.pagestream.schema.PageStructure;
import io.pagestream.schema.QuestionAnswers;
import io.pagestream.schema.StructureFlag;
import io.pagestream.schema.TableCell;
import io.pagestream.schema.Task;
import io.pagestream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The assembly rules, one by one, on the real topology and serdes (TopologyTestDriver, the in-memory registry). */
class DocumentAssemblerTest {
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final Duration RETENTION = Duration.ofHours(1);

    static final SchemaRegistry registry = new InMemorySchemaRegistry();
    AssemblerDriver assembler;

    AssemblerDriver start(AssemblerSettings settings) {
        assembler = new AssemblerDriver(settings, registry);
        return assembler;
    }

    AssemblerDriver start() {
        AssemblerSettings defaults = AssemblerSettings.defaults();
        return start(new AssemblerSettings(
                TIMEOUT,
                RETENTION,
                defaults.punctuateInterval(),
                defaults.chunkMaxPages(),
                defaults.chunkMaxBytes(),
                defaults.statusMaxMissingPages()));
    }

    @AfterEach
    void stop() {
        if (assembler != null) {
            assembler.close();
        }
    }

    @Test
    void joinsEveryPageIntoOneOcrAndOneAnswersRecordOnceTheLastPageIsIn() {
        AssemblerDriver a = start();
        a.pipe(request("doc", 3, "Who signed?", "When?"));
        a.pipe(ocr("doc", 0, 3), answers("doc", 0, 3, 0.5, 0.2));
        a.pipe(ocr("doc", 1, 3), answers("doc", 1, 3, 0.9, 0.3));
        a.pipe(ocr("doc", 2, 3));
        assertEquals(List.of(), a.drain(), "nothing before every page has all its results");

        a.pipe(answers("doc", 2, 3, 0.9, 0.7));

        DocumentOcr ocr = a.documentOcr.readValue();
        assertEquals(
                List.of(0, 1, 2),
                ocr.getPages().stream().map(OcrPage::getPageIndex).toList());
        OcrPage second = ocr.getPages().get(1);
        assertEquals(textOf(1), second.getText());
        assertEquals(0.9, second.getConfidence());
        assertEquals(1001, second.getWidth());
        assertEquals(1401, second.getHeight());
        assertNull(second.getFailure());
        assertEquals(textOf(0) + "\f" + textOf(1) + "\f" + textOf(2), ocr.getFullText());
        assertEquals(3, ocr.getPageCount());
        assertEquals(0, ocr.getChunkIndex());
        assertEquals(1, ocr.getChunkCount());
        assertTrue(ocr.getComplete());
        assertEquals("test", ocr.getMetadata().get("customer"));

        DocumentAnswers answers = a.documentAnswers.readValue();
        QuestionAnswers who = answers.getQuestions().get(0);
        assertEquals("Who signed?", who.getQuestion());
        assertEquals(1, who.getBest().getPageIndex(), "best by confidence; the first page wins a tie");
        assertEquals(answerOf(0, 1), who.getBest().getText());
        assertEquals(
                List.of(0, 1, 2),
                who.getCandidates().stream().map(AnswerCandidate::getPageIndex).toList());
        QuestionAnswers when = answers.getQuestions().get(1);
        assertEquals(2, when.getBest().getPageIndex());
        assertEquals(0.7, when.getBest().getConfidence());
        assertTrue(answers.getComplete());

        DocumentStatus status = a.status.readValue();
        assertEquals(DocumentState.COMPLETED, status.getState());
        assertEquals(3, status.getPagesDone());
        assertEquals(3, status.getPageCount());
        assertEquals(List.of(), status.getMissingPages());
        assertEquals(request("doc", 3).getTraceparent(), status.getTraceparent());
        assertEquals(List.of(), a.drain(), "one record of each, once");
        assertEquals(DocumentProgress.Phase.COMPLETED, a.documents().get("doc").phase());
    }

    @Test
    void eachPagesStructureReachesDocumentsOcrWholeWithTheDocumentMarkdown() {
        AssemblerDriver a = start();
        Structures report = Structures.report(0, 300);
        Structures notes = new Structures(0.7)
                .heading(2, "Notes", Structures.box(80, 50, 400, 70))
                .paragraph("Grounded twice.", Structures.box(80, 100, 500, 120), Structures.box(80, 125, 300, 140))
                .flaggedParagraph("| cut | row", StructureFlag.BROKEN_TABLE);
        a.pipe(
                request("doc", 4),
                ocr("doc", 0, 4, report),
                failure("doc", 1, 4, "CORRUPT_IMAGE"),
                ocr("doc", 2, 4),
                ocr("doc", 3, 4, notes));

        DocumentOcr ocr = a.documentOcr.readValue();
        OcrPage first = ocr.getPages().get(0);
        assertEquals(
                report.build(), first.getStructure(), "every block, box, table cell and flag, as the worker sent it");
        assertEquals(report.raw(), first.getText(), "the text stays the model's own output");
        assertEquals(Structures.WIDTH, first.getWidth());
        PageStructure structure = first.getStructure();
        assertEquals(
                List.of(
                        BlockKind.TITLE,
                        BlockKind.PARAGRAPH,
                        BlockKind.PARAGRAPH,
                        BlockKind.TABLE,
                        BlockKind.FIGURE_CAPTION,
                        BlockKind.PAGE_FOOTER),
                structure.getBlocks().stream().map(LayoutBlock::getKind).toList());
        List<List<String>> cells = structure.getTables().get(0).getRows().stream()
                .map(row -> row.stream().map(TableCell::getText).toList())
                .toList();
        assertEquals(
                List.of(
                        List.of("Region", "Q1", "Q2", "Q3"),
                        List.of("North", "10", "12", "0"),
                        List.of("South", "8", "9", "11")),
                cells);
        BoxPlacement second = structure.getBlocks().get(2).getBoxes().get(1);
        assertEquals(new BoundingBox(100.0, 345.0, 500.0, 360.0), second.getGrid());
        assertEquals(345 * 1.414, second.getPixels().getY1(), 1e-9, "grid to pixels: 1414 px high");
        assertEquals(500 / (1000 / 595.28), second.getPoints().getX2(), 1e-9, "pixels to points: the render scale");
        assertEquals(Structures.A4, structure.getSourcePage());
        assertNull(ocr.getPages().get(1).getStructure(), "a failed page has none");
        assertNull(ocr.getPages().get(2).getStructure(), "a page from a worker without structured output has none");
        PageStructure last = ocr.getPages().get(3).getStructure();
        assertEquals(notes.build(), last);
        assertEquals(
                List.of(StructureFlag.BROKEN_TABLE), last.getBlocks().get(2).getFlags());
        assertEquals(0.35, last.getBlocks().get(2).getConfidence());

        String markdown = "<!-- page 1 -->\n" + report.build().getMarkdown() + "\n\n"
                + "<!-- page 3 -->\n" + textOf(2) + "\n\n"
                + "<!-- page 4 -->\n## Notes\n\nGrounded twice.\n\n| cut | row";
        assertEquals(markdown, ocr.getMarkdown(), "structure markdown, or the text without one; the failed page out");
        assertEquals(report.raw() + "\f" + textOf(2) + "\f" + notes.raw(), ocr.getFullText());

        DocumentView.Results view = DocumentViews.of("doc", null, a.documents(), a.pages(), true)
                .orElseThrow()
                .results();
        assertEquals(markdown, view.markdown(), "the query shows the same markdown");
        assertEquals(report.build(), view.pages().get(0).structure());
        assertNull(view.pages().get(1).structure());
    }

    @Test
    void aNoAnswerIsACandidateButNeverTheBestAndEvidenceIsCarried() {
        AssemblerDriver a = start();
        BoxPlacement total = Structures.box(600, 880, 900, 900);
        BoxPlacement signature = Structures.box(100, 920, 300, 960);
        a.pipe(request("doc", 3, "Total?", "Signed by?", "Due date?"));
        a.pipe(
                ocr("doc", 0, 3),
                answers(
                        "doc",
                        0,
                        3,
                        List.of(
                                answer(0, "I cannot find it.", 0.97, true, null),
                                answer(1, "Ada Lovelace", 0.6, false, signature),
                                answer(2, "no date here", 0.9, true, null))));
        a.pipe(
                ocr("doc", 1, 3),
                answers(
                        "doc",
                        1,
                        3,
                        List.of(
                                answer(0, "42 EUR", 0.4, false, total),
                                answer(1, "not on this page", 0.99, true, null),
                                answer(2, "none", 0.3, true, null))));
        a.pipe(
                ocr("doc", 2, 3),
                answers(
                        "doc",
                        2,
                        3,
                        List.of(
                                answer(0, "none", 0.1, true, null),
                                answer(1, "Ada", 0.6, false, null),
                                answer(2, "none", 0.95, true, null))));

        List<QuestionAnswers> questions = a.documentAnswers.readValue().getQuestions();
        QuestionAnswers totalQ = questions.get(0);
        assertEquals(1, totalQ.getBest().getPageIndex(), "the confident no-answers of pages 0 and 2 do not win");
        assertEquals("42 EUR", totalQ.getBest().getText());
        assertEquals(total, totalQ.getBest().getEvidence());
        assertFalse(totalQ.getBest().getNoAnswer());
        assertFalse(totalQ.getNoAnswer());
        assertEquals(
                List.of(true, false, true),
                totalQ.getCandidates().stream()
                        .map(AnswerCandidate::getNoAnswer)
                        .toList());
        assertEquals(total, totalQ.getCandidates().get(1).getEvidence());
        assertNull(totalQ.getCandidates().get(0).getEvidence());

        QuestionAnswers signedQ = questions.get(1);
        assertEquals(0, signedQ.getBest().getPageIndex(), "a tie among answers: the earlier page");
        assertEquals(signature, signedQ.getBest().getEvidence());

        QuestionAnswers dueQ = questions.get(2);
        assertNull(dueQ.getBest(), "every page said it does not answer");
        assertTrue(dueQ.getNoAnswer());
        assertEquals(
                List.of(0, 1, 2),
                dueQ.getCandidates().stream().map(AnswerCandidate::getPageIndex).toList());

        List<QuestionOutcome> view = DocumentViews.of("doc", null, a.documents(), a.pages(), true)
                .orElseThrow()
                .results()
                .questions();
        assertEquals(total, view.get(0).best().evidence());
        assertEquals(
                List.of(false, false, true),
                view.stream().map(QuestionOutcome::noAnswer).toList());
    }

    @Test
    void holdsResultsThatComeBeforeTheirRequestAndOrdersPages() {
        AssemblerDriver a = start();
        for (int page = 3; page >= 0; page--) {
            a.pipe(answers("doc", page, 4, 0.1 * page), ocr("doc", page, 4));
        }
        assertEquals(List.of(), a.drain(), "held: the page count is not known before the request");

        a.pipe(request("doc", 4, "Total?"));

        DocumentOcr ocr = a.documentOcr.readValue();
        assertEquals(
                List.of(0, 1, 2, 3),
                ocr.getPages().stream().map(OcrPage::getPageIndex).toList());
        assertEquals(
                3, a.documentAnswers.readValue().getQuestions().get(0).getBest().getPageIndex());
        assertEquals(DocumentState.COMPLETED, a.status.readValue().getState());
    }

    @Test
    void duplicatesAndRedeliveriesChangeNothingAndEmitNothingTwice() {
        AssemblerDriver a = start();
        a.pipe(request("doc", 2, "Q?"), request("doc", 2, "Q?"));
        a.pipe(
                ocr("doc", 0, 2),
                ocr("doc", 0, 2, "a different re-run", 0.1),
                answers("doc", 0, 2, 0.4),
                answers("doc", 0, 2, 0.99));
        assertEquals(1, a.documents().get("doc").pagesDone(), "page 0 counted once");
        assertEquals(List.of(), a.drain());

        a.pipe(ocr("doc", 1, 2), answers("doc", 1, 2, 0.5));
        DocumentOcr ocr = a.documentOcr.readValue();
        assertEquals(textOf(0), ocr.getPages().get(0).getText(), "the first delivery of a part stands");
        assertEquals(
                1, a.documentAnswers.readValue().getQuestions().get(0).getBest().getPageIndex());
        assertEquals(DocumentState.COMPLETED, a.status.readValue().getState());

        a.pipe(request("doc", 2, "Q?"), ocr("doc", 1, 2), answers("doc", 0, 2, 0.4), failure("doc", 1, 2, "TIMEOUT"));
        a.advance(TIMEOUT.multipliedBy(2));
        assertEquals(List.of(), a.drain(), "a closed document ignores re-deliveries, and does not time out");
    }

    @Test
    void aFailedPageCountsAsDoneAndShowsItsReason() {
        AssemblerDriver a = start();
        a.pipe(request("doc", 3, "Q?"));
        a.pipe(ocr("doc", 0, 3), answers("doc", 0, 3, 0.2));
        a.pipe(failure("doc", 1, 3, "CORRUPT_IMAGE"));
        a.pipe(ocr("doc", 2, 3));
        assertEquals(
                List.of(), a.drain(), "a failure is not a PAGE_FAILED event of the assembler: the worker emits it");
        a.pipe(failure("doc", 2, 3, "INFERENCE_ERROR"));

        DocumentOcr ocr = a.documentOcr.readValue();
        OcrPage failed = ocr.getPages().get(1);
        assertNull(failed.getText());
        assertEquals("CORRUPT_IMAGE", failed.getFailure());
        assertEquals(0.0, failed.getConfidence());
        assertEquals(textOf(2), ocr.getPages().get(2).getText(), "the text that came before the failure is kept");
        assertEquals(textOf(0) + "\f" + textOf(2), ocr.getFullText());
        QuestionAnswers q = a.documentAnswers.readValue().getQuestions().get(0);
        assertEquals(
                List.of(0),
                q.getCandidates().stream().map(AnswerCandidate::getPageIndex).toList());
        List<DocumentStatus> statuses = a.status.readValuesToList();
        assertEquals(1, statuses.size());
        assertEquals(DocumentState.COMPLETED, statuses.get(0).getState());
        assertTrue(
                statuses.get(0).getMessage().contains("2 failed: [1, 2]"),
                statuses.get(0).getMessage());
    }

    @Test
    void aStalledDocumentIsClosedIncompleteAfterTheTimeoutNamingItsMissingPages() {
        AssemblerDriver a = start();
        a.pipe(request("doc", 4, "Q?"));
        a.pipe(ocr("doc", 0, 4), answers("doc", 0, 4, 0.6), ocr("doc", 2, 4), answers("doc", 2, 4, 0.8));
        a.advance(TIMEOUT.minusMinutes(1));
        a.pipe(ocr("doc", 3, 4));
        a.advance(TIMEOUT.minusMinutes(1));
        assertEquals(List.of(), a.drain(), "new results postpone the timeout");

        a.advance(Duration.ofMinutes(2));

        DocumentStatus status = a.status.readValue();
        assertEquals(DocumentState.INCOMPLETE, status.getState());
        assertEquals("TIMEOUT", status.getReasonCode());
        assertEquals(List.of(1, 3), status.getMissingPages());
        assertEquals(2, status.getPagesDone());
        DocumentOcr ocr = a.documentOcr.readValue();
        assertFalse(ocr.getComplete());
        assertEquals(PageOutcome.MISSING, ocr.getPages().get(1).getFailure());
        assertEquals(textOf(3), ocr.getPages().get(3).getText(), "partial results are kept");
        DocumentAnswers answers = a.documentAnswers.readValue();
        assertFalse(answers.getComplete());
        assertEquals(2, answers.getQuestions().get(0).getBest().getPageIndex());

        a.pipe(ocr("doc", 1, 4), answers("doc", 1, 4, 0.9), answers("doc", 3, 4, 0.9));
        assertEquals(List.of(), a.drain(), "results after the close are ignored");
        assertEquals(DocumentProgress.Phase.INCOMPLETE, a.documents().get("doc").phase());
    }

    @Test
    void resultsWhoseRequestNeverCameAreDroppedAfterTheTimeout() {
        AssemblerDriver a = start();
        a.pipe(ocr("orphan", 0, 2), ocr("orphan", 1, 2));
        a.advance(TIMEOUT.plusMinutes(1));
        assertEquals(List.of(), a.drain(), "no page count, no outputs: nothing can be said about it");
        assertEquals(0, AssemblerDriver.count(a.documents()));
        assertEquals(0, AssemblerDriver.count(a.pages()));
        assertEquals(0, AssemblerDriver.count(a.deadlines()));
    }

    @Test
    void aClosedDocumentIsForgottenAfterTheRetention() {
        AssemblerDriver a = start();
        a.pipe(request("done", 2), ocr("done", 0, 2), ocr("done", 1, 2), request("open", 3), ocr("open", 0, 3));
        assertEquals(1, a.status.readValuesToList().size());
        a.advance(RETENTION.minusMinutes(1));
        assertEquals(DocumentProgress.Phase.COMPLETED, a.documents().get("done").phase(), "kept for queries");
        assertEquals(DocumentState.INCOMPLETE, a.status.readValue().getState(), "the open one timed out meanwhile");
        a.drain();

        a.advance(TIMEOUT.plus(RETENTION));

        assertEquals(0, AssemblerDriver.count(a.documents()));
        assertEquals(0, AssemblerDriver.count(a.pages()));
        assertEquals(0, AssemblerDriver.count(a.deadlines()));
        assertEquals(List.of(), a.drain());
    }

    @Test
    void onlyTheRequestedOutputsAreEmitted() {
        AssemblerDriver a = start();
        a.pipe(request("ocr-only", 1, List.of(Task.OCR), List.of()), ocr("ocr-only", 0, 1));
        a.pipe(
                request("qa-only", 2, List.of(Task.QA), List.of("Q?")),
                answers("qa-only", 0, 2, 0.5),
                ocr("qa-only", 1, 2));
        assertEquals(
                List.of("ocr-only"),
                a.documentOcr.readKeyValuesToList().stream().map(kv -> kv.key).toList());
        assertEquals(List.of(), a.documentAnswers.readValuesToList());
        assertEquals(1, a.status.readValuesToList().size());

        a.pipe(answers("qa-only", 1, 2, 0.6));
        assertEquals(List.of(), a.documentOcr.readValuesToList());
        assertEquals(
                1, a.documentAnswers.readValue().getQuestions().get(0).getBest().getPageIndex());
        assertEquals(DocumentState.COMPLETED, a.status.readValue().getState());
    }

    @Test
    void pagesOutsideTheDocumentAreIgnored() {
        AssemblerDriver a = start();
        a.pipe(ocr("doc", 5, 2), request("doc", 2), ocr("doc", -1, 2), ocr("doc", 2, 2), ocr("doc", 0, 2));
        assertEquals(List.of(), a.drain());
        a.pipe(ocr("doc", 1, 2));
        assertEquals(
                List.of(0, 1),
                a.documentOcr.readValue().getPages().stream()
                        .map(OcrPage::getPageIndex)
                        .toList());
        a.advance(TIMEOUT.plus(RETENTION).plusMinutes(1));
        assertEquals(0, AssemblerDriver.count(a.pages()), "the stray page is forgotten with its document");
    }

    @Test
    void anUnreadableRecordIsSkippedAndTheDocumentTimesOutWithoutIt() {
        AssemblerDriver a = start();
        a.pipe(request("doc", 2), ocr("doc", 0, 2));
        a.raw(Topics.PAGES_OCR.name()).pipeInput("doc", "not avro".getBytes(StandardCharsets.UTF_8));
        a.raw(Topics.PAGES_OCR.name()).pipeInput("doc", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1});
        a.advance(TIMEOUT.plusMinutes(1));
        assertEquals(List.of(1), a.status.readValue().getMissingPages());
    }
}
