package io.pagestream.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The value schemas registered for the topics (one per topic), each self-contained as the registry stores it.
 * Running this class writes them to a directory: that is how a release snapshot under {@code schemas/released/} is
 * made, against which the next versions are checked for backward compatibility.
 */
public final class Contracts {
    /** Every record that is the value of a topic. Nested records (Answer, OcrPage, …) travel inside these. */
    public static final List<Schema> TOPIC_VALUES = List.of(
            DocumentRequest.getClassSchema(),
            PageImage.getClassSchema(),
            PageOcr.getClassSchema(),
            PageAnswers.getClassSchema(),
            PageFailure.getClassSchema(),
            DocumentOcr.getClassSchema(),
            DocumentAnswers.getClassSchema(),
            DocumentStatus.getClassSchema());

    private Contracts() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println(
                    "usage: Contracts OUTPUT_DIR   (e.g. schemas/released/0.2.0, relative to where Maven runs)");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (Schema schema : TOPIC_VALUES) {
            Files.writeString(
                    dir.resolve(schema.getName() + ".avsc"), schema.toString(true) + "\n", StandardCharsets.UTF_8);
        }
        System.out.println("wrote " + TOPIC_VALUES.size() + " schemas to " + dir);
    }
}
