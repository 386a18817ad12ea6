package io.pagestream.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No code in the repository catches an {@link Error} and carries on: an {@code OutOfMemoryError} or a
 * {@code StackOverflowError} leaves a JVM in a state nobody can vouch for (a half-run static initialiser, a lock
 * released mid-update, a thread pool one thread short), so services let it end the thread or, with
 * {@code -XX:+ExitOnOutOfMemoryError}, the process, and their supervisor starts a fresh one. A clause that catches
 * {@code Throwable}, {@code Error} or a subclass must end by throwing it again (cleanup first is fine) or by throwing
 * a new {@code Error} (a test's {@code AssertionError}); wrapping it in a {@code RuntimeException} is carrying on, as
 * callers catch those. One exception: {@code UnsatisfiedLinkError}, the JVM's answer when an optional native library
 * is absent (the CUDA provider, a GPU probe), which says nothing about the JVM itself.
 */
class ErrorsPropagateTest {
    private static final Pattern ERROR_TYPE = Pattern.compile("Throwable|\\w*Error");
    private static final Set<String> PROBES = Set.of("UnsatisfiedLinkError");

    private final Path repository = Path.of(System.getProperty("pagestream.services", ".."))
            .toAbsolutePath()
            .normalize()
            .getParent();

    @Test
    void noCatchClauseInTheRepositorySwallowsAnError() {
        Set<String> swallowing = new TreeSet<>();
        for (Path file : javaSources()) {
            for (CatchClauses.Clause clause : CatchClauses.of(read(file))) {
                if (swallows(clause)) {
                    swallowing.add(repository.relativize(file) + ":" + clause.line() + " catch " + clause.types());
                }
            }
        }
        assertEquals(Set.of(), swallowing, "catch an Error and carry on; rethrow it (after any cleanup)");
    }

    @Test
    void theScanSeesTheRepositoryAndItsRethrowingClauses() {
        List<Path> sources = javaSources();
        long rethrowing = sources.stream()
                .flatMap(f -> CatchClauses.of(read(f)).stream())
                .filter(c ->
                        c.types().stream().anyMatch(t -> ERROR_TYPE.matcher(t).matches()) && !swallows(c))
                .count();
        assertTrue(sources.size() > 500, "only " + sources.size() + " sources under " + repository);
        assertTrue(rethrowing >= 5, "the rethrowing clauses of the ORT binding and the service shell: " + rethrowing);
    }

    @Test
    void aSwallowedErrorIsFoundAndARethrowIsNot() {
        assertSwallows(true, "try { a(); } catch (OutOfMemoryError e) { log(e); return busy(); }");
        assertSwallows(true, "try { a(); } catch (RuntimeException | Error e) { log(e); }");
        assertSwallows(true, "try { a(); } catch (final Throwable t) { throw new IllegalStateException(t); }");
        assertSwallows(true, "try { a(); } catch (StackOverflowError e) { if (x) { throw e; } }");
        assertSwallows(true, "try { a(); } catch (java.lang.LinkageError e) { return false; }");
        assertSwallows(false, "try { a(); } catch (Exception | Error e) { close(); throw e; }");
        assertSwallows(false, "try { a(); } catch (StackOverflowError e) { throw new AssertionError(\"deep\", e); }");
        assertSwallows(false, "try { a(); } catch (UnsatisfiedLinkError e) { return false; }");
        assertSwallows(false, "try { a(); } catch (IOException e) { return \"catch (Error e) { }\"; }");
        assertSwallows(false, "// catch (Error e) { }\n/* catch (Throwable t) { } */ int x = 1;");
        assertEquals(
                List.of(false, false),
                CatchClauses.of("try { h.invokeExact(); } catch (RuntimeException | Error e) { throw e; } "
                                + "catch (Throwable e) { throw new IllegalStateException(e); }")
                        .stream()
                        .map(ErrorsPropagateTest::swallows)
                        .toList(),
                "Throwable caught once Errors were rethrown by an earlier clause of the same try");
        assertEquals(
                List.of(false, true),
                CatchClauses.of("try { a(); } catch (Error e) { throw e; } "
                                + "foo(); try { b(); } catch (Throwable e) { throw new IllegalStateException(e); }")
                        .stream()
                        .map(ErrorsPropagateTest::swallows)
                        .toList(),
                "another try's clause does not count");
    }

    private static void assertSwallows(boolean expected, String code) {
        List<CatchClauses.Clause> clauses = CatchClauses.of(code);
        assertEquals(expected, clauses.stream().anyMatch(ErrorsPropagateTest::swallows), code);
    }

    static boolean swallows(CatchClauses.Clause clause) {
        boolean catchesErrors = clause.types().stream()
                .anyMatch(t -> ERROR_TYPE.matcher(t).matches()
                        && !PROBES.contains(t)
                        && !(t.equals("Throwable") && clause.errorsTakenBefore()));
        if (!catchesErrors) {
            return false;
        }
        String rethrow =
                "(?s).*\\bthrow\\s+(" + Pattern.quote(clause.variable()) + "|new\\s+[\\w.]*Error\\s*\\(.*)\\s*;\\s*";
        return !clause.body().matches(rethrow);
    }

    private List<Path> javaSources() {
        try (Stream<Path> files = Files.walk(repository)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        String path = repository.relativize(f).toString();
                        return path.contains("/src/") && !path.contains("/target/") && !path.startsWith(".");
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
