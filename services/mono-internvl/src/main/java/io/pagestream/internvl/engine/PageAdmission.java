package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.image.PixelTiles;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a page the scheduler admitted, on the engine thread: a slot per live prompt, the vision graph once for all
 * its images, the prompts' common prefix prefilled once and copied to the other slots (prefix reuse), then each
 * prompt's own suffix, whose logits give its first token. A prompt cancelled while queued ends here without a slot.
 */
final class PageAdmission {
    private static final System.Logger LOG = System.getLogger(PageAdmission.class.getName());

    private final boolean prefixReuse;
    private final ModelSteps steps;
    private final ActiveSequences sequences;
    private final Completions completions;
    private final EngineStats.Counter stats;

    PageAdmission(
            boolean prefixReuse,
            ModelSteps steps,
            ActiveSequences sequences,
            Completions completions,
            EngineStats.Counter stats) {
        this.prefixReuse = prefixReuse;
        this.steps = steps;
        this.sequences = sequences;
        this.completions = completions;
        this.stats = stats;
    }

    /** Starts the page's prompts; a model error fails each of them and frees their slots. */
    void admit(PendingPage page) {
        long admitted = System.nanoTime();
        List<PendingPage.Prompt> live = new ArrayList<>();
        for (PendingPage.Prompt prompt : page.prompts()) {
            if (prompt.handle().cancelled()) {
                double waited = ms(admitted - page.submittedNanos());
                completions.complete(
                        prompt,
                        new GenerationResult(
                                prompt.ids(),
                                new int[0],
                                new float[0],
                                "",
                                FinishReason.CANCELLED,
                                0,
                                new Timings(waited, 0, 0, 0, 0, 0, waited)));
            } else {
                live.add(prompt);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        int[] taken = new int[live.size()];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = sequences.take();
        }
        int started = 0;
        try {
            long start = System.nanoTime();
            steps.encode(page.images());
            long vision = System.nanoTime() - start;
            stats.page(
                    live.size(),
                    page.images().stream().mapToInt(PixelTiles::tileCount).sum(),
                    vision);
            int prefix = prefixReuse && live.size() > 1 ? sharedPrefix(live) : 0;
            long prefixNanos = 0;
            if (prefix > 0) {
                start = System.nanoTime();
                steps.prefill(taken[0], live.getFirst().ids(), 0, prefix);
                for (int i = 1; i < taken.length; i++) {
                    steps.copyPrefix(taken[0], taken[i], prefix);
                }
                prefixNanos = System.nanoTime() - start;
                stats.prefill(prefix, prefixNanos, prefix * (live.size() - 1));
            }
            for (int i = 0; i < live.size(); i++) {
                PendingPage.Prompt prompt = live.get(i);
                Sequence sequence =
                        new Sequence(prompt, taken[i], page.submittedNanos(), admitted, vision, prefixNanos, prefix);
                sequences.start(sequence);
                started++;
                start = System.nanoTime();
                FloatBuffer logits = steps.prefill(taken[i], prompt.ids(), prefix, prompt.ids().length);
                long own = System.nanoTime() - start;
                sequence.prefilled(own);
                stats.prefill(prompt.ids().length - prefix, own, 0);
                sequences.sample(sequence, logits, 0);
            }
        } catch (OrtException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a page failed in prefill", e);
            for (int i = 0; i < taken.length; i++) {
                Sequence sequence = sequences.at(taken[i]);
                if (sequence != null) {
                    sequences.fail(sequence, e);
                } else if (i >= started) {
                    sequences.release(taken[i]);
                    completions.fail(live.get(i), e);
                }
            }
        }
    }

    /** Longest common prefix of the prompts' ids, leaving each at least one token of its own to prefill. */
    static int sharedPrefix(List<PendingPage.Prompt> prompts) {
        int[] first = prompts.getFirst().ids();
        int length = first.length - 1;
        for (PendingPage.Prompt prompt : prompts) {
            int[] ids = prompt.ids();
            length = Math.min(length, ids.length - 1);
            for (int i = 0; i < length; i++) {
                if (ids[i] != first[i]) {
                    length = i;
                    break;
                }
            }
        }
        return Math.max(length, 0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
