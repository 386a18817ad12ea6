package io.pagestream.cli.gpu;

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
 */
public final class OrtProfile {
    private static final Pattern KV_NAME = Pattern.compile("(past|present).*(key|value)|kv_?cache",
            Pattern.CASE_INSENSITIVE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OrtProfile() {
    }

    /** One Memcpy node's event. */
    public record Memcpy(String node, String op, String provider, boolean kv, String shapes) {
    }

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
     */
    public record Summary(int kernels, Map<String, Integer> opCounts, Map<String, Integer> providerCounts,
            List<String> cpuOps, List<Memcpy> memcpys, int runs, double meanRunUs, double meanExecuteUs,
            double meanOutsideExecuteUs) {

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

    /** @throws IOException when the text is not a JSON array of events */
    public static Summary parse(String json, int kvHeads, int headDim) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isArray()) {
            throw new IOException("not an ONNX Runtime profile: a JSON array of trace events was expected");
        }
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
                        || kvNamed(args.path("input_names")) || kvNamed(args.path("output_names"));
                memcpys.add(new Memcpy(node, op, provider, kv, shapes));
            }
        }
        double run = mean(runs);
        double execute = mean(executes);
        return new Summary(kernels, ops, providers, List.copyOf(cpuOps.keySet()), memcpys, runs.size(), run, execute,
                runs.isEmpty() || executes.isEmpty() ? Double.NaN : run - execute);
    }

    /** Any tensor of rank 4 shaped [*, kvHeads, *, headDim]. */
    static boolean kvShaped(JsonNode typeShapes, int kvHeads, int headDim) {
        for (JsonNode entry : typeShapes) {
            Iterator<JsonNode> shapes = entry.elements();
            while (shapes.hasNext()) {
                JsonNode dims = shapes.next();
                if (dims.isArray() && dims.size() == 4 && dims.get(1).asLong() == kvHeads
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
        return values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).average()
                .orElse(Double.NaN);
    }

    /** The profile files ORT wrote for a prefix ({@code <prefix>_<timestamp>.json}), oldest name first. */
    public static List<Path> files(String prefix) throws IOException {
        Path prefixPath = Path.of(prefix).toAbsolutePath();
        Path dir = prefixPath.getParent();
        String stem = prefixPath.getFileName().toString() + "_";
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (var listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().startsWith(stem)
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")).sorted().toList();
        }
    }
}
