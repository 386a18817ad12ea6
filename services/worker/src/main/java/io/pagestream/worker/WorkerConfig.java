package io.pagestream.worker;

import io.pagestream.internvl.engine.KvResidence;
import io.pagestream.topics.ServicePrincipal;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the worker can be told, under {@code pagestream.worker}. Defaults suit one GPU worker on a real
 * checkpoint; docs/configuration.md lists them. Plain SmallRye Config, so the benchmark and tests build it from a map
 * without Quarkus.
 */
@ConfigMapping(prefix = "pagestream.worker")
public interface WorkerConfig {

    /**
     * Names this worker in results and failures, and makes its Kafka identities: the transactional id (a restarted
     * worker with the same id fences its predecessor's open transaction at once) and, with static membership, the
     * group instance id. Must be unique among running workers and stable across restarts of one (a StatefulSet pod
     * name, or the host name).
     */
    @WithDefault("${HOSTNAME:worker-1}")
    String instanceId();

    Model model();

    Engine engine();

    Batch batch();

    Prompts prompts();

    Answers answers();

    Pipeline pipeline();

    Kafka kafka();

    /** The checkpoint and how it runs. */
    interface Model {
        /** The Hugging Face checkpoint directory (config.json, safetensors, tokenizer files). Required. */
        Path checkpoint();

        /** The ONNX conversion; default {@code <checkpoint>-onnx-<dtype>} beside the checkpoint. */
        Optional<Path> onnx();

        /** Convert at start-up when the conversion is missing or stale (cached by {@code conversion.json}). */
        @WithDefault("true")
        boolean convert();

        /** fp32 or int4 (CPU), fp16 or bf16 (CUDA). */
        @WithDefault("fp32")
        String dtype();

        /** cpu or cuda; cuda needs the {@code -Pgpu} build and falls back to the CPU where CUDA cannot load. */
        @WithDefault("cpu")
        String provider();

        @WithDefault("0")
        int cudaDevice();

        /** ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per core). */
        @WithDefault("0")
        int threads();

        /** Model id written into every result; default the checkpoint directory's name. */
        Optional<String> id();
    }

    /** The engine's KV cache, sized once at start-up. */
    interface Engine {
        /**
         * Sequences (prompts) the engine decodes together, one KV slot each; 0 sizes them from free memory: as many
         * slots of {@link #slotTokens()} as {@link #memoryFraction()} of the memory left after the weights holds,
         * at most {@link #maxSlots()}.
         */
        @WithDefault("0")
        int slots();

        /** Upper bound for automatic slots. */
        @WithDefault("32")
        int maxSlots();

        /** KV positions per slot; 0 = the longest prompt the model's tiling allows plus the larger max-new-tokens. */
        @WithDefault("0")
        int slotTokens();

        /** Share of free accelerator (or, on the CPU, system) memory the KV cache may take when sizing slots. */
        @WithDefault("0.5")
        double memoryFraction();

        /**
         * Where the KV cache lives: {@code device} keeps it on the provider's device, bound through ONNX Runtime's
         * IoBinding (a decode step moves only ids, lengths and logits); {@code host} is the Java API path, which on
         * CUDA copies the cache each step, kept as a fallback.
         */
        @WithDefault("device")
        KvResidence kvResidence();
    }

    /** How pages are grouped into micro-batches. */
    interface Batch {
        /** Most pages per micro-batch. */
        @WithDefault("8")
        int maxPages();

        /**
         * Most prefill tokens per micro-batch: per page, tiles × tokens-per-tile plus its prompts' text tokens; 0 =
         * the engine's KV token budget, so a batch never asks for more than the cache holds.
         */
        @WithDefault("0")
        int tokenBudget();

        /** How long the first page of a batch waits for company before the batch goes anyway. */
        @WithDefault("20ms")
        Duration linger();

        /**
         * Micro-batches at the engine at once. 2 keeps the accelerator busy: while the tail of one batch decodes,
         * the next is already admitted into the slots it frees.
         */
        @WithDefault("2")
        int inFlight();
    }

    /**
     * The prompts, with the model's chat template around them (the image goes in front of the text). The OCR prompt
     * follows the page's {@code ocrMode}; a question's follows its document's {@code groundAnswers}.
     */
    interface Prompts {
        /** The OCR instruction of a TEXT page: plain text in reading order. */
        @WithDefault("Read all the text in the image in natural reading order: top to bottom, left to right, one "
                + "column after another. Output only the text.")
        String ocrText();

        /**
         * The OCR instruction of a MARKDOWN page (the default mode): the page as markdown, which the worker parses
         * into blocks and tables (docs/page-structure.md).
         */
        @WithDefault("Convert the page to markdown in natural reading order, one column after another. Write "
                + "headings with #, lists with - or 1., tables as markdown pipe tables (or HTML tables when cells "
                + "span rows or columns), and formulas as LaTeX between $$ and $$ ($ and $ inline). Output only the "
                + "markdown.")
        String ocrMarkdown();

        /**
         * The OCR instruction of a LAYOUT page: every text region grounded, in InternVL's own grounding format, on
         * its 0-1000 grid over the image.
         */
        @WithDefault("Read all the text in the image. Write every text region (title, heading, paragraph, list, "
                + "table, caption, header, footer) in natural reading order as <ref>its text</ref><box>[[x1, y1, x2, "
                + "y2]]</box>, the box around the region on a 0-1000 grid over the image: x1, y1 its top-left corner, "
                + "x2, y2 its bottom-right. Write the text inside each region as markdown. Output only the regions.")
        String ocrLayout();

        /**
         * A question's prompt; {@code {question}} is replaced by the question and {@code {no-answer}} by
         * {@link #noAnswerReply()}.
         */
        @WithDefault("{question}\nAnswer the question using a single word or phrase. If the image does not answer "
                + "it, reply: {no-answer}")
        String question();

        /**
         * A question's prompt when its document asked for grounded answers (placeholders as in {@link #question()}):
         * the answer with a box around where the page shows it.
         */
        @WithDefault("{question}\nAnswer the question using a single word or phrase, written as <ref>the "
                + "answer</ref><box>[[x1, y1, x2, y2]]</box> with the box around where the image shows it, on a "
                + "0-1000 grid over the image. If the image does not answer it, reply: {no-answer}")
        String groundedQuestion();

        /**
         * What the question prompts tell the model to reply when the page does not answer. An answer that reads
         * the same (case and punctuation aside) is a no-answer.
         */
        @WithDefault("Not on this page.")
        String noAnswerReply();

        @WithDefault("1024")
        int ocrMaxNewTokens();

        @WithDefault("64")
        int questionMaxNewTokens();
    }

    /** How answers are judged. */
    interface Answers {
        /**
         * An answer whose confidence (the geometric mean of its tokens' probabilities) is below this is a
         * no-answer: its tokens had on average less than this chance, a guess (a random model's sit near
         * 1/vocabulary). A judgement, not measured on the real model. 0 turns the threshold off.
         */
        @WithDefault("0.2")
        double noAnswerBelow();
    }

    /** Queues, limits and timings of the pipeline. */
    interface Pipeline {
        /** Pages polled but not yet committed; above this the consumer pauses, below half of it it resumes. */
        @WithDefault("32")
        int maxInFlightPages();

        /** Decoded and preprocessed pages waiting for the engine (they hold the pixel tiles, ~2.4 MB per tile). */
        @WithDefault("16")
        int preparedPages();

        /** Threads decoding and preprocessing images. */
        @WithDefault("2")
        int decodeThreads();

        /** Largest image, in pixels, decoded at all (checked from the header before decoding). */
        @WithDefault("40000000")
        long maxImagePixels();

        /** A page still unfinished this long after it reached the engine fails with TIMEOUT. */
        @WithDefault("15m")
        Duration pageTimeout();

        /** Tries per page before an inference error or out-of-memory sends it to the DLQ. */
        @WithDefault("3")
        int maxAttempts();

        /** Results are committed at most this often (one transaction carries every page ready by then). */
        @WithDefault("100ms")
        Duration commitInterval();

        @WithDefault("50ms")
        Duration pollTimeout();

        /** On shutdown, how long in-flight pages may take to finish before they are handed back uncommitted. */
        @WithDefault("30s")
        Duration shutdownGrace();
    }

    /** The worker's consumer group; where Kafka is and how to reach it is the shell's {@code pagestream.kafka.*}. */
    interface Kafka {
        @WithDefault(ServicePrincipal.WORKER_GROUP)
        String groupId();

        /** Join with {@code group.instance.id = instance-id}, so a restarted worker takes its partitions back at once. */
        @WithDefault("true")
        boolean staticMembership();
    }
}
