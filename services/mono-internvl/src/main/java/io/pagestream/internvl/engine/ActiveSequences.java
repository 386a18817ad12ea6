package io.pagestream.internvl.engine;

import java.nio.FloatBuffer;

/**
 * The sequences in the KV slots, touched only by the engine thread: which slot holds which, each one's next token
 * (sampled, streamed to its listener), and how each ends, its slot freed at once and its result or error queued in
 * {@link Completions}.
 */
final class ActiveSequences {
    private final SlotAllocator slots;
    private final Sequence[] active;
    private final Sampler sampler;
    private final EngineResources resources;
    private final EngineStats.Counter stats;
    private final Completions completions;

    ActiveSequences(int maxBatch, EngineResources resources, EngineStats.Counter stats, Completions completions) {
        this.slots = new SlotAllocator(maxBatch);
        this.active = new Sequence[maxBatch];
        this.sampler = new Sampler(resources.model.info.vocab());
        this.resources = resources;
        this.stats = stats;
        this.completions = completions;
    }

    int free() {
        return slots.free();
    }

    int inUse() {
        return slots.inUse();
    }

    /** One past the highest slot in use: the rows of the next decode step. */
    int end() {
        return slots.end();
    }

    /** @throws IllegalStateException when none is free */
    int take() {
        return slots.take();
    }

    /** Gives back a slot taken for a prompt that never started. */
    void release(int slot) {
        slots.release(slot);
    }

    /** Puts a sequence in the slot it was given by {@link #take()}. */
    void start(Sequence sequence) {
        active[sequence.slot] = sequence;
    }

    /** The sequence in {@code slot}, or null. */
    Sequence at(int slot) {
        return active[slot];
    }

    /** Samples the sequence's next token from its row of logits, streams it, and ends the sequence when it stops. */
    void sample(Sequence sequence, FloatBuffer logits, int offset) {
        GenerationRequest request = sequence.prompt.request();
        int token = sampler.next(logits, offset, request.sampling(), sequence.random);
        float logprob = sampler.logprob();
        FinishReason reason = sequence.accept(token, logprob, System.nanoTime());
        stats.generated();
        try {
            request.listener().onToken(sequence.count() - 1, token, logprob);
        } catch (RuntimeException e) {
            fail(sequence, e);
            return;
        }
        if (reason != null) {
            finish(sequence, reason);
        }
    }

    /** Ends the sequences whose callers cancelled them, with what they generated so far. */
    void dropCancelled() {
        for (Sequence sequence : active) {
            if (sequence != null && sequence.prompt.handle().cancelled()) {
                finish(sequence, FinishReason.CANCELLED);
            }
        }
    }

    void finish(Sequence sequence, FinishReason reason) {
        free(sequence);
        int[] tokens = sequence.tokens();
        String text = resources.decode(tokens);
        completions.complete(
                sequence.prompt,
                new GenerationResult(
                        sequence.prompt.ids(),
                        tokens,
                        sequence.logprobs(),
                        text,
                        reason,
                        sequence.reusedPrefixTokens,
                        sequence.timings(System.nanoTime())));
    }

    void fail(Sequence sequence, Throwable error) {
        free(sequence);
        completions.fail(sequence.prompt, error);
    }

    /** Fails every sequence in a slot. */
    void failAll(Throwable error) {
        for (Sequence sequence : active) {
            if (sequence != null) {
                fail(sequence, error);
            }
        }
    }

    private void free(Sequence sequence) {
        if (active[sequence.slot] == sequence) {
            active[sequence.slot] = null;
            slots.release(sequence.slot);
        }
    }
}
