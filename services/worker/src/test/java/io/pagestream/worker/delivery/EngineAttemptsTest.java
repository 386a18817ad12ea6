package io.pagestream.worker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The record of pages at the engine, as it travels in committed offsets' metadata between worker processes. */
class EngineAttemptsTest {
    private static final TopicPartition P0 = new TopicPartition("documents.pages", 0);
    private static final TopicPartition P1 = new TopicPartition("documents.pages", 1);

    /** What the next owner of the partition reads after the process that committed {@code committed} died. */
    private static EngineAttempts nextOwner(TopicPartition partition, OffsetAndMetadata committed) {
        EngineAttempts next = new EngineAttempts();
        next.load(partition, committed);
        return next;
    }

    @Test
    void aPageAtTheEngineWhenTheProcessDiesCountsOneDeathForTheNextOwner() {
        EngineAttempts attempts = new EngineAttempts();
        attempts.load(P0, null);
        attempts.launched(P0, 105);
        attempts.launched(P0, 107);
        OffsetAndMetadata committed = attempts.commit(P0, 100);
        assertEquals(100, committed.offset(), "the offset stays where it was");
        assertEquals(EngineAttempts.PREFIX + "5=1,7=1", committed.metadata());

        EngineAttempts next = nextOwner(P0, committed);
        assertEquals(1, next.deaths(P0, 105));
        assertEquals(1, next.deaths(P0, 107));
        assertEquals(0, next.deaths(P0, 106), "not at the engine: not a suspect");
    }

    @Test
    void deathsAccumulateAcrossProcessesUntilThePageComesBack() {
        EngineAttempts first = new EngineAttempts();
        first.load(P0, null);
        first.launched(P0, 3);
        EngineAttempts second = nextOwner(P0, first.commit(P0, 0));
        second.launched(P0, 3);
        EngineAttempts third = nextOwner(P0, second.commit(P0, 0));
        assertEquals(2, third.deaths(P0, 3));

        third.launched(P0, 3);
        third.returned(P0, 3);
        EngineAttempts fourth = nextOwner(P0, third.commit(P0, 0));
        assertEquals(2, fourth.deaths(P0, 3), "a page that came back does not count the attempt that survived");
        assertEquals(Map.of(), EngineAttempts.decode(fourth.commit(P0, 4)), "committing past the page forgets it");
    }

    @Test
    void aPageThatNeverDiedIsForgottenWhenItComesBack() {
        EngineAttempts attempts = new EngineAttempts();
        attempts.load(P0, null);
        attempts.launched(P0, 3);
        attempts.returned(P0, 3);
        assertEquals("", attempts.commit(P0, 0).metadata());
    }

    @Test
    void pagesHandedBackOnRevocationAreNotCountedAsDeaths() {
        EngineAttempts attempts = new EngineAttempts();
        attempts.load(P0, new OffsetAndMetadata(10, EngineAttempts.PREFIX + "0=1"));
        attempts.load(P1, null);
        attempts.launched(P0, 10);
        attempts.launched(P0, 11);
        attempts.launched(P1, 20);
        attempts.handBack(List.of(P0));
        assertEquals(Map.of(10L, 1), EngineAttempts.decode(attempts.commit(P0, 10)), "its earlier death stays");
        assertEquals(Map.of(20L, 1), EngineAttempts.decode(attempts.commit(P1, 20)), "other partitions untouched");
    }

    @Test
    void offsetsAreRelativeToTheCommittedOffsetAndEntriesBeforeItAreDropped() {
        EngineAttempts attempts = new EngineAttempts();
        attempts.load(P0, new OffsetAndMetadata(1_000_000, EngineAttempts.PREFIX + "0=2,3=1"));
        assertEquals(2, attempts.deaths(P0, 1_000_000));
        OffsetAndMetadata committed = attempts.commit(P0, 1_000_001);
        assertEquals(EngineAttempts.PREFIX + "2=1", committed.metadata());
        assertEquals(Map.of(1_000_003L, 1), EngineAttempts.decode(committed));
    }

    @Test
    void foreignOrBrokenMetadataReadsAsNoDeaths() {
        for (String metadata : List.of("", "set by a tool", EngineAttempts.PREFIX + "x=1", EngineAttempts.PREFIX)) {
            assertEquals(Map.of(), EngineAttempts.decode(new OffsetAndMetadata(5, metadata)), metadata);
        }
        assertEquals(Map.of(), EngineAttempts.decode(null));
    }

    @Test
    void droppedPartitionsAreForgotten() {
        EngineAttempts attempts = new EngineAttempts();
        attempts.load(P0, new OffsetAndMetadata(0, EngineAttempts.PREFIX + "0=1"));
        attempts.drop(List.of(P0));
        assertEquals(0, attempts.deaths(P0, 0));
    }
}
