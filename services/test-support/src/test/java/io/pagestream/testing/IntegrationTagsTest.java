package io.pagestream.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast tier is only as honest as its tags: every test class in the repository that starts a broker, a registry or
 * a child JVM, itself or through a helper of its module, must be {@link IntegrationTest}. Read from the sources, so
 * it holds before any of them runs.
 */
class IntegrationTagsTest {
    /** What starts something: the stack's entry points, the Quarkus test with the pipeline stack, child JVMs. */
    private static final List<String> STARTERS = List.of(
            "LocalStackExtension",
            "PipelineStackResource",
            "@QuarkusTest",
            "KafkaBroker.start(",
            "KafkaBrokerProcess.start(",
            "SecureKafka.start(",
            "ApicurioRegistry.start(",
            "ChildProcess.",
            "ServiceJvm.",
            "new ServiceSupervisor(");

    /** Comments that begin a line: {@code /*} or {@code //} inside a string (a URL, a media type) is no comment. */
    private static final Pattern COMMENTS = Pattern.compile("(?ms)^\\s*/\\*.*?\\*/|^\\s*//[^\\n]*");

    private static final Pattern TEST_METHOD = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory)\\b");
    private static final String TAGGED = "@" + IntegrationTest.class.getSimpleName();
    /** local-stack cannot use the annotation (this module depends on it) and tags its such tests by hand. */
    private static final String TAGGED_BY_HAND = "@Tag(\"" + IntegrationTest.TAG + "\")";

    private final Path services = Path.of(System.getProperty("pagestream.services", ".."))
            .toAbsolutePath()
            .normalize();

    @Test
    void everyTestThatStartsTheStackOrAProcessIsTaggedIntegration() {
        Map<Path, String> sources = testSources();
        Set<String> starters = startersWithHelpers(sources);

        Set<String> untagged = new TreeSet<>();
        sources.forEach((file, text) -> {
            if (isTestClass(text) && startsSomething(text, starters) && !tagged(text)) {
                untagged.add(services.relativize(file).toString());
            }
        });
        assertEquals(Set.of(), untagged, "start a broker, registry or JVM but are not " + TAGGED);
    }

    @Test
    void theScanSeesTheTestsItGuards() {
        Map<Path, String> sources = testSources();
        long tagged = sources.values().stream()
                .filter(text -> tagged(text) && isTestClass(text))
                .count();
        assertTrue(tagged >= 10, "found only " + tagged + " tagged test classes under " + services);
    }

    /** The starters, plus every test helper (a class without tests) that uses one, to a fixed point. */
    private static Set<String> startersWithHelpers(Map<Path, String> sources) {
        Set<String> starters = new HashSet<>(STARTERS);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (var source : sources.entrySet()) {
                String helper = source.getKey().getFileName().toString().replace(".java", "");
                if (!isTestClass(source.getValue())
                        && startsSomething(source.getValue(), starters)
                        && starters.add(helper)) {
                    grew = true;
                }
            }
        }
        return starters;
    }

    private static boolean startsSomething(String text, Set<String> starters) {
        return starters.stream()
                .anyMatch(s -> s.matches("\\w+")
                        ? Pattern.compile("\\b" + s + "\\b").matcher(text).find()
                        : text.contains(s));
    }

    private static boolean tagged(String text) {
        return text.contains(TAGGED) || text.contains(TAGGED_BY_HAND);
    }

    private static boolean isTestClass(String text) {
        return TEST_METHOD.matcher(text).find();
    }

    /** Every module's test sources but this class's own (it names the starters it looks for). */
    private Map<Path, String> testSources() {
        try (Stream<Path> modules = Files.list(services)) {
            return modules.map(m -> m.resolve("src/test/java"))
                    .filter(Files::isDirectory)
                    .flatMap(IntegrationTagsTest::javaFiles)
                    .filter(f ->
                            !f.getFileName().toString().equals(IntegrationTagsTest.class.getSimpleName() + ".java"))
                    .collect(Collectors.toMap(Function.identity(), IntegrationTagsTest::read));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source without its comments: a class that only mentions a starter in prose starts nothing. */
    private static String read(Path file) {
        try {
            return COMMENTS.matcher(Files.readString(file)).replaceAll("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
