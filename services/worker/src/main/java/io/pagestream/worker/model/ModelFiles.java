package io.pagestream.worker.model;

import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.convert.Manifest;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the checkpoint and its ONNX conversion live. The conversion is cached by {@code conversion.json}, so
 * converting at every start costs only the cache-key check once the graphs exist.
 */
public record ModelFiles(Path checkpoint, Path onnx, TargetDtype dtype) {
    private static final System.Logger LOG = System.getLogger(ModelFiles.class.getName());

    public static ModelFiles of(WorkerConfig.Model config) {
        TargetDtype dtype = TargetDtype.valueOf(config.dtype().trim().toUpperCase(Locale.ROOT));
        Path checkpoint = config.checkpoint().toAbsolutePath().normalize();
        Path onnx = config.onnx()
                .map(p -> p.toAbsolutePath().normalize())
                .orElseGet(() -> checkpoint.resolveSibling(
                        checkpoint.getFileName() + "-onnx-" + dtype.name().toLowerCase(Locale.ROOT)));
        return new ModelFiles(checkpoint, onnx, dtype);
    }

    /**
     * Converts the checkpoint when asked and needed, and returns the conversion's manifest.
     *
     * @throws IllegalStateException when there is no conversion and converting was not allowed
     */
    public Manifest prepare(boolean convert) {
        if (!Files.isRegularFile(checkpoint.resolve("config.json"))) {
            throw new IllegalStateException("no checkpoint at " + checkpoint + " (config.json missing): set "
                    + "pagestream.worker.model.checkpoint");
        }
        if (convert) {
            ConversionResult result = Converter.convert(checkpoint, onnx, dtype);
            LOG.log(
                    System.Logger.Level.INFO,
                    () -> (result.reused() ? "reused the " : "wrote a ") + dtype + " conversion of " + checkpoint
                            + " in " + onnx + " (" + result.elapsed().toMillis() + " ms)");
            return result.manifest();
        }
        Manifest manifest = Manifest.read(onnx);
        if (manifest == null) {
            throw new IllegalStateException("no conversion at " + onnx + " and pagestream.worker.model.convert is "
                    + "false: run ./pagestream model convert --model " + checkpoint + " --out " + onnx);
        }
        return manifest;
    }

    /** Bytes of the converted weights, which the runtime maps or copies onto the accelerator. */
    public long weightBytes() {
        try (Stream<Path> files = Files.walk(onnx)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(ModelFiles::size)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
