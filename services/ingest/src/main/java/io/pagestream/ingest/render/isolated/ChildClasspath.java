package io.pagestream.ingest.render.isolated;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The class path of a render process: the jar (or classes folder) each class the renderer needs was loaded from.
 * {@code java.class.path} does not do: a Quarkus fast-jar application runs its classes through its own class loader
 * from {@code quarkus-app/app} and {@code quarkus-app/lib/main}, with only the launcher on {@code java.class.path};
 * every class's code source, though, names the jar it came from, packaged or in a test alike.
 */
public final class ChildClasspath {
    /**
     * One class of every library the renderer loads: ingest's own classes, PDFBox and what it needs, JBIG2, and the
     * TwelveMonkeys plug-ins with their shared jars.
     */
    private static final List<String> RENDERER = List.of(
            RenderProcess.class.getName(),
            "org.apache.pdfbox.pdmodel.PDDocument",
            "org.apache.pdfbox.io.RandomAccessRead",
            "org.apache.fontbox.FontBoxFont",
            "org.apache.commons.logging.LogFactory",
            "org.apache.pdfbox.jbig2.JBIG2ImageReaderSpi",
            "com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi",
            "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi",
            "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi",
            "com.twelvemonkeys.imageio.ImageReaderBase",
            "com.twelvemonkeys.imageio.metadata.Directory",
            "com.twelvemonkeys.lang.Validate",
            "com.twelvemonkeys.io.FileUtil",
            "com.twelvemonkeys.image.ImageUtil");

    /**
     * Quarkus replaces commons-logging by a bridge to JBoss Logging; where that bridge is the one loaded, its target
     * goes along (it logs through java.util.logging to stderr in the child).
     */
    private static final String JBOSS_LOGGING = "org.jboss.logging.Logger";

    private ChildClasspath() {}

    /** The renderer's class path as this JVM loaded it. */
    static List<Path> renderer() {
        Set<Path> paths = new LinkedHashSet<>();
        for (String name : RENDERER) {
            Class<?> type = find(name)
                    .orElseThrow(() -> new IllegalStateException(
                            "the renderer needs " + name + ", which is not on the class path"));
            paths.add(locationOf(type));
        }
        find(JBOSS_LOGGING).ifPresent(type -> paths.add(locationOf(type)));
        return List.copyOf(paths);
    }

    /** The jar or folder {@code type} was loaded from. */
    public static Path locationOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException(type.getName() + " has no code source to start a render process with");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    type.getName() + " was loaded from " + source.getLocation() + ", not a file", e);
        }
    }

    private static Optional<Class<?>> find(String name) {
        try {
            return Optional.of(Class.forName(name, false, ChildClasspath.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }
}
