package io.pagestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The documents {@code demo} submits: {@code samples.json} in a folder, naming each file and its questions. */
final class Samples {
    static final String INDEX = "samples.json";

    /** One document to submit and the questions to ask about it. */
    record Sample(Path file, List<String> questions) {
        String name() {
            return file.getFileName().toString();
        }
    }

    private Samples() {}

    /**
     * Reads {@code dir/samples.json}: {@code {"samples":[{"file":"a.pdf","questions":["..."]}, ...]}}, files relative
     * to {@code dir}. Fails with a message naming what is wrong: a missing file, no samples, a blank question.
     */
    static List<Sample> load(Path dir) throws IOException {
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException("no " + INDEX + " in " + dir.toAbsolutePath());
        }
        JsonNode root = new ObjectMapper().readTree(index.toFile());
        List<Sample> samples = new ArrayList<>();
        for (JsonNode entry : root.path("samples")) {
            String name = entry.path("file").asText("");
            Path file = dir.resolve(name);
            if (name.isBlank() || !Files.isRegularFile(file)) {
                throw new IllegalArgumentException(index + " names a sample that is not there: '" + name + "'");
            }
            List<String> questions = new ArrayList<>();
            for (JsonNode q : entry.path("questions")) {
                if (q.asText("").isBlank()) {
                    throw new IllegalArgumentException(index + ": a blank question for " + name);
                }
                questions.add(q.asText());
            }
            samples.add(new Sample(file, List.copyOf(questions)));
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(index + " lists no samples");
        }
        return List.copyOf(samples);
    }
}
