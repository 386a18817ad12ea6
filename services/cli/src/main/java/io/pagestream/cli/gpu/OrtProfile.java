package io.pagestream.cli.gpu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads an ONNX Runtime profile: the chrome-trace JSON array a session with profiling on writes when it ends. Node
 * events ({@code "cat": "Node"}, name {@code <node>_kernel_time}) carry in {@code args} the {@code op_name}, the
 * {@code provider} that ran it, and {@code input_type_shape} / {@code output_type_shape} (a list of
 * {@code {"<type>": [dims]}}); session events name {@code model_run} and {@code SequentialExecutor::Execute}.
 *
 * <p>What a GPU check wants from it: the {@code MemcpyToHost} / {@code MemcpyFromHost} nodes ORT inserted between
 * providers, and which of them move a KV cache tensor. ORT's events carry no tensor names, so a copy is counted as a
 * KV copy when one of its tensors has the cache's shape {@code [batch, kvHeads, positions, headDim]}; names are
 * matched as well should a build record them ({@code input_names}/{@code output_names}). Copies of graph inputs and
 * outputs between the caller's memory and the device are not nodes, so they never appear here: they show only as time
 * in {@code model_run} outside {@code SequentialExecutor::Execute}, reported as {@link Summary#meanOutsideExecuteUs}.
 *
 * <p>Sessions created within the same second with the same prefix write one file name; each writes its own array
 * from the file's start when it ends, so the file holds the last writer's array followed by the rest of longer ones.
 * ORT writes one event per line, so such a file is {@linkplain Summary#salvaged() salvaged} line by line: every
 * whole event line is read, whichever session wrote it.
 */
public final class OrtProfile {
    private static final Pattern KV_NAME =
            Pattern.compile("(past|present).*(key|value)|kv_?cache", Pattern.CASE_INSENSITIVE);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private OrtProfile() {}

    /** One Memcpy node's event. */
    public record Memcpy(String node, String op, String provider, boolean kv, String shapes) {}

    /**
     * One profile file.
     *
     * @param kernels      node kernel events (every run of every node)
     * @param opCounts     kernel events per op type
     * @param providerCounts kernel events per execution provider
     * @param cpuOps       op types run by the CPU provider, Memcpy excluded
     * @param memcpys      Memcpy kernel events, in order
     * @param runs         {@code model_run} events
     * @param meanOutsideExecuteUs mean {@code model_run} time outside {@code SequentialExecutor::Execute}, µs: feeds and
     *                     fetches copied across devices, plus the session's own overhead; NaN when either is absent
     * @param salvaged     the file was not one JSON array (sessions wrote over each other): its whole event lines
     *                     were read, possibly from several sessions; {@code skippedLines} others were not
     */
    public record Summary(
            int kernels,
            Map<String, Integer> opCounts,
            Map<String, Integer> providerCounts,
            List<String> cpuOps,
            List<Memcpy> memcpys,
            int runs,
            double meanRunUs,
            double meanExecuteUs,
            double meanOutsideExecuteUs,
            boolean salvaged,
            int skippedLines) {

        public long kvMemcpys() {
            return memcpys.stream().filter(Memcpy::kv).count();
        }

        public boolean has(String op) {
            return opCounts.containsKey(op);
        }
    }

    public static Summary read(Path file, int kvHeads, int headDim) throws IOException {
        return parse(Files.readString(file), kvHeads, headDim);
    }

    /** @throws IOException when the text is neither a JSON array of events nor lines of them */
    public static Summary parse(String json, int kvHeads, int headDim) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            return salvage(json, kvHeads, headDim, e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException("not an ONNX Runtime profile: a JSON array of trace events was expected");
        }
        return summarise(root, kvHeads, headDim, false, 0);
    }

    private static Summary salvage(String text, int kvHeads, int headDim, IOException cause) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        int skipped = 0;
        for (String line : text.lines().toList()) {
            String event = line.strip();
            if (event.endsWith(",")) {
                event = event.substring(0, event.length() - 1);
            }
            if (event.isEmpty() || event.equals("[") || event.equals("]")) {
                continue;
            }
            try {
                JsonNode node = event.startsWith("{\"cat\"") && event.endsWith("}") ? JSON.readTree(event) : null;
                if (node != null && node.isObject()) {
                    events.add(node);
                    continue;
                }
            } catch (IOException e) {
                // a line cut where another session's array ended
            }
            skipped++;
        }
        if (events.isEmpty()) {
            throw new IOException("not an ONNX Runtime profile: " + cause.getMessage(), cause);
        }
        return summarise(JSON.valueToTree(events), kvHeads, headDim, true, skipped);
    }

    private static Summary summarise(JsonNode root, int kvHeads, int headDim, boolean salvaged, int skipped) {
        int kernels = 0;
        Map<String, Integer> ops = new TreeMap<>();
        Map<String, Integer> providers = new TreeMap<>();
        Map<String, Integer> cpuOps = new TreeMap<>();
        List<Memcpy> memcpys = new ArrayList<>();
        List<Double> runs = new ArrayList<>();
        List<Double> executes = new ArrayList<>();
        for (JsonNode event : root) {
            String cat = event.path("cat").asText();
            String name = event.path("name").asText();
            double dur = event.path("dur").asDouble(Double.NaN);
            if (cat.equals("Session")) {
                if (name.equals("model_run")) {
                    runs.add(dur);
                } else if (name.equals("SequentialExecutor::Execute")) {
                    executes.add(dur);
                }
                continue;
            }
            if (!cat.equals("Node") || !name.endsWith("_kernel_time")) {
                continue;
            }
            JsonNode args = event.path("args");
            String op = args.path("op_name").asText("?");
            String provider = args.path("provider").asText("?");
            kernels++;
            ops.merge(op, 1, Integer::sum);
            providers.merge(provider, 1, Integer::sum);
            boolean memcpy = op.equals("MemcpyToHost") || op.equals("MemcpyFromHost");
            if (!memcpy && provider.equals("CPUExecutionProvider")) {
                cpuOps.merge(op, 1, Integer::sum);
            }
            if (memcpy) {
                String node = name.substring(0, name.length() - "_kernel_time".length());
                String shapes = args.path("input_type_shape").toString() + " -> "
                        + args.path("output_type_shape").toString();
                boolean kv = kvShaped(args.path("input_type_shape"), kvHeads, headDim)
                        || kvShaped(args.path("output_type_shape"), kvHeads, headDim)
                        || kvNamed(args.path("input_names"))
                        || kvNamed(args.path("output_names"));
                memcpys.add(new Memcpy(node, op, provider, kv, shapes));
            }
        }
        double run = mean(runs);
        double execute = mean(executes);
        return new Summary(
                kernels,
                ops,
                providers,
                List.copyOf(cpuOps.keySet()),
                memcpys,
                runs.size(),
                run,
                execute,
                runs.isEmpty() || executes.isEmpty() ? Double.NaN : run - execute,
                salvaged,
                skipped);
    }

    /** Any tensor of rank 4 shaped [*, kvHeads, *, headDim]. */
    static boolean kvShaped(JsonNode typeShapes, int kvHeads, int headDim) {
        for (JsonNode entry : typeShapes) {
            Iterator<JsonNode> shapes = entry.elements();
            while (shapes.hasNext()) {
                JsonNode dims = shapes.next();
                if (dims.isArray()
                        && dims.size() == 4
                        && dims.get(1).asLong() == kvHeads
                        && dims.get(3).asLong() == headDim) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean kvNamed(JsonNode names) {
        if (names.isTextual()) {
            return KV_NAME.matcher(names.asText()).find();
        }
        for (JsonNode name : names) {
            if (KV_NAME.matcher(name.asText()).find()) {
                return true;
            }
        }
        return false;
    }

    private static double mean(List<Double> values) {
        return values.stream()
                .mapToDouble(Double::doubleValue)
                .filter(v -> !Double.isNaN(v))
                .average()
                .orElse(Double.NaN);
    }

    /** The profile files ORT wrote for a prefix ({@code <prefix>_<timestamp>.json}), oldest name first. */
    public static List<Path> files(String prefix) throws IOException {
        Path prefixPath = Path.of(prefix).toAbsolutePath();
        Path dir = prefixPath.getParent();
        // OnnxModel gives each session the prefix plus "-<graph>"; ORT appends "_<date>.json".
        String stem = prefixPath.getFileName().toString();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (var listing = Files.list(dir)) {
            return listing.filter(p -> (p.getFileName().toString().startsWith(stem + "_")
                                    || p.getFileName().toString().startsWith(stem + "-"))
                            && p.getFileName()
                                    .toString()
                                    .toLowerCase(Locale.ROOT)
                                    .endsWith(".json"))
                    .sorted()
                    .toList();
        }
    }
}
