package io.pagestream.assembler.topology;

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
import io.pagestream.assembler.state.DocumentProgress;
import io.pagestream.assembler.testing.AssemblerDriver;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.AnswerCandidate;
import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.OcrPage;
import io.pagestream.schema.QuestionAnswers;
import io.pagestream.schema.Task;
import io.pagestream.stack.LocalStackExtension;
import io.pagestream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The assembly rules, one by one, on the real topology and serdes (TopologyTestDriver, real registry). */
class DocumentAssemblerTest {
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final Duration RETENTION = Duration.ofHours(1);

    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.registryOnly();

    static SchemaRegistryClient registry;
    AssemblerDriver assembler;

    @BeforeAll
    static void connect() {
        registry = new SchemaRegistryClient(RegistryConfig.of(STACK.registryUrl()));
    }

    @AfterAll
    static void disconnect() {
        registry.close();
    }

    AssemblerDriver start(AssemblerSettings settings) {
        assembler = new AssemblerDriver(settings, registry);
        return assembler;
    }

    AssemblerDriver start() {
        AssemblerSettings defaults = AssemblerSettings.defaults();
        return start(new AssemblerSettings(TIMEOUT, RETENTION, defaults.punctuateInterval(), defaults.chunkMaxPages(),
                defaults.chunkMaxBytes()));
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
        assertEquals(List.of(0, 1, 2), ocr.getPages().stream().map(OcrPage::getPageIndex).toList());
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
        assertEquals(List.of(0, 1, 2), who.getCandidates().stream().map(AnswerCandidate::getPageIndex).toList());
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
    void holdsResultsThatComeBeforeTheirRequestAndOrdersPages() {
        AssemblerDriver a = start();
        for (int page = 3; page >= 0; page--) {
            a.pipe(answers("doc", page, 4, 0.1 * page), ocr("doc", page, 4));
        }
        assertEquals(List.of(), a.drain(), "held: the page count is not known before the request");

        a.pipe(request("doc", 4, "Total?"));

        DocumentOcr ocr = a.documentOcr.readValue();
        assertEquals(List.of(0, 1, 2, 3), ocr.getPages().stream().map(OcrPage::getPageIndex).toList());
        assertEquals(3, a.documentAnswers.readValue().getQuestions().get(0).getBest().getPageIndex());
        assertEquals(DocumentState.COMPLETED, a.status.readValue().getState());
    }

    @Test
    void duplicatesAndRedeliveriesChangeNothingAndEmitNothingTwice() {
        AssemblerDriver a = start();
        a.pipe(request("doc", 2, "Q?"), request("doc", 2, "Q?"));
        a.pipe(ocr("doc", 0, 2), ocr("doc", 0, 2, "a different re-run", 0.1), answers("doc", 0, 2, 0.4),
                answers("doc", 0, 2, 0.99));
        assertEquals(1, a.documents().get("doc").pagesDone(), "page 0 counted once");
        assertEquals(List.of(), a.drain());

        a.pipe(ocr("doc", 1, 2), answers("doc", 1, 2, 0.5));
        DocumentOcr ocr = a.documentOcr.readValue();
        assertEquals(textOf(0), ocr.getPages().get(0).getText(), "the first delivery of a part stands");
        assertEquals(1, a.documentAnswers.readValue().getQuestions().get(0).getBest().getPageIndex());
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
        assertEquals(List.of(), a.drain(),
                "a failure is not a PAGE_FAILED event of the assembler: the worker emits it");
        a.pipe(failure("doc", 2, 3, "INFERENCE_ERROR"));

        DocumentOcr ocr = a.documentOcr.readValue();
        OcrPage failed = ocr.getPages().get(1);
        assertNull(failed.getText());
        assertEquals("CORRUPT_IMAGE", failed.getFailure());
        assertEquals(0.0, failed.getConfidence());
        assertEquals(textOf(2), ocr.getPages().get(2).getText(), "the text that came before the failure is kept");
        assertEquals(textOf(0) + "\f" + textOf(2), ocr.getFullText());
        QuestionAnswers q = a.documentAnswers.readValue().getQuestions().get(0);
        assertEquals(List.of(0), q.getCandidates().stream().map(AnswerCandidate::getPageIndex).toList());
        List<DocumentStatus> statuses = a.status.readValuesToList();
        assertEquals(1, statuses.size());
        assertEquals(DocumentState.COMPLETED, statuses.get(0).getState());
        assertTrue(statuses.get(0).getMessage().contains("2 failed: [1, 2]"), statuses.get(0).getMessage());
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
        a.pipe(request("qa-only", 2, List.of(Task.QA), List.of("Q?")), answers("qa-only", 0, 2, 0.5),
                ocr("qa-only", 1, 2));
        assertEquals(List.of("ocr-only"), a.documentOcr.readKeyValuesToList().stream().map(kv -> kv.key).toList());
        assertEquals(List.of(), a.documentAnswers.readValuesToList());
        assertEquals(1, a.status.readValuesToList().size());

        a.pipe(answers("qa-only", 1, 2, 0.6));
        assertEquals(List.of(), a.documentOcr.readValuesToList());
        assertEquals(1, a.documentAnswers.readValue().getQuestions().get(0).getBest().getPageIndex());
        assertEquals(DocumentState.COMPLETED, a.status.readValue().getState());
    }

    @Test
    void pagesOutsideTheDocumentAreIgnored() {
        AssemblerDriver a = start();
        a.pipe(ocr("doc", 5, 2), request("doc", 2), ocr("doc", -1, 2), ocr("doc", 2, 2), ocr("doc", 0, 2));
        assertEquals(List.of(), a.drain());
        a.pipe(ocr("doc", 1, 2));
        assertEquals(List.of(0, 1), a.documentOcr.readValue().getPages().stream().map(OcrPage::getPageIndex).toList());
        a.advance(TIMEOUT.plus(RETENTION).plusMinutes(1));
        assertEquals(0, AssemblerDriver.count(a.pages()), "the stray page is forgotten with its document");
    }

    @Test
    void anUnreadableRecordIsSkippedAndTheDocumentTimesOutWithoutIt() {
        AssemblerDriver a = start();
        a.pipe(request("doc", 2), ocr("doc", 0, 2));
        a.raw(Topics.PAGE_OCR).pipeInput("doc", "not avro".getBytes(StandardCharsets.UTF_8));
        a.raw(Topics.PAGE_OCR).pipeInput("doc", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1});
        a.advance(TIMEOUT.plusMinutes(1));
        assertEquals(List.of(1), a.status.readValue().getMissingPages());
    }
}
