package io.pagestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's files as the build sees them (the root and versions come from the pom via surefire). */
final class Repo {
    static final Path ROOT = Path.of(System.getProperty("pagestream.root", "../.."))
            .toAbsolutePath()
            .normalize();
    static final String VERSION = required("pagestream.version");
    static final String APICURIO_VERSION = required("pagestream.apicurio.version");
    static final Path K8S = ROOT.resolve("k8s");
    static final Path DOCKER = ROOT.resolve("docker");
    static final List<String> OVERLAYS = List.of("base", "overlays/dev", "overlays/prod-gpu");

    private static final YAMLMapper YAML = new YAMLMapper();

    private Repo() {}

    /** Every YAML document of a string (empty documents left out). */
    static List<JsonNode> yamlDocuments(String text) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> yamlDocuments(Path file) {
        return yamlDocuments(read(file));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> k8sYamlFiles() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: run the tests through Maven (surefire sets it)");
        }
        return value;
    }
}
