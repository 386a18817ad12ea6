package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.concurrent.CancellationException;

/**
 * The engine thread. Each iteration drops cancelled sequences, admits queued pages while slots are free (all of them
 * at once, or, without continuous batching, only when every slot is), runs one batched decode step over slots
 * 0..highest active and delivers what ended. When it stops it fails whatever is queued or running with a
 * {@link CancellationException} and releases the engine's resources.
 */
final class EngineLoop {
    private static final System.Logger LOG = System.getLogger(EngineLoop.class.getName());

    private final boolean continuousBatching;
    private final EngineResources resources;
    private final Scheduler scheduler;
    private final EngineStats.Counter stats;
    private final Completions completions = new Completions();
    private final ActiveSequences sequences;
    private final PageAdmission admission;
    private final Thread thread;

    EngineLoop(EngineConfig config, EngineResources resources, Scheduler scheduler, EngineStats.Counter stats) {
        this.continuousBatching = config.continuousBatching();
        this.resources = resources;
        this.scheduler = scheduler;
        this.stats = stats;
        this.sequences = new ActiveSequences(config.maxBatch(), resources, stats, completions);
        this.admission = new PageAdmission(config.prefixReuse(), resources.steps, sequences, completions, stats);
        this.thread = new Thread(this::run, "pagestream-engine");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Closes the queue and waits for the loop to end, unless called on the engine thread (from a listener), where
     * the loop ends once the callback returns.
     */
    void stop() {
        scheduler.close();
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!scheduler.closed()) {
                sequences.dropCancelled();
                admit();
                completions.deliver();
                if (sequences.inUse() == 0) {
                    if (!scheduler.awaitWork()) {
                        break;
                    }
                    continue;
                }
                step();
                completions.deliver();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "engine loop failed", e);
            scheduler.close();
        } finally {
            // Also on an Error, which goes on to end this thread: the pages waiting on the engine fail, none hangs.
            shutDown();
        }
    }

    private void admit() {
        if (!continuousBatching && sequences.inUse() > 0) {
            return;
        }
        PendingPage page;
        while ((page = scheduler.next(sequences.free())) != null) {
            admission.admit(page);
        }
    }

    private void step() {
        ModelSteps steps = resources.steps;
        int batch = sequences.end();
        long start = System.nanoTime();
        steps.clear(batch);
        int rows = 0;
        for (int slot = 0; slot < batch; slot++) {
            Sequence sequence = sequences.at(slot);
            if (sequence != null) {
                steps.set(slot, sequence.lastToken(), sequence.cached());
                rows++;
            }
        }
        try {
            steps.decode(batch);
        } catch (OrtException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a decode step failed", e);
            sequences.failAll(e);
            return;
        }
        FloatBuffer logits = steps.logits();
        int vocab = resources.model.info.vocab();
        for (int slot = 0; slot < batch; slot++) {
            Sequence sequence = sequences.at(slot);
            if (sequence != null) {
                sequence.stepped();
                sequences.sample(sequence, logits, slot * vocab);
            }
        }
        stats.decode(rows, batch, System.nanoTime() - start);
    }

    private void shutDown() {
        CancellationException closed = new CancellationException("the engine closed");
        sequences.failAll(closed);
        scheduler.close();
        for (PendingPage page : scheduler.drain()) {
            page.prompts().forEach(prompt -> completions.fail(prompt, closed));
        }
        completions.deliver();
        resources.close();
    }
}
