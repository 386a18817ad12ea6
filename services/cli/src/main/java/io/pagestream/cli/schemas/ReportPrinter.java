package io.pagestream.cli.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The reports of one run: a line per subject and a summary, or one JSON object for CI. */
final class ReportPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportPrinter() {}

    static void text(PrintWriter out, List<SubjectReport> reports, boolean dryRun) {
        int width = reports.stream().mapToInt(r -> r.subject().length()).max().orElse(0);
        for (SubjectReport r : reports) {
            out.println(
                    String.format("%-" + width + "s  %-15s  %s", r.subject(), r.compatibility(), detail(r, dryRun)));
        }
        Map<String, Long> counts = reports.stream()
                .collect(Collectors.groupingBy(r -> r.outcome().label, TreeMap::new, Collectors.counting()));
        out.println(reports.size() + " subjects: "
                + counts.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")));
    }

    static void json(PrintWriter out, String command, String result, List<SubjectReport> reports) {
        ObjectNode root = JSON.createObjectNode().put("command", command).put("result", result);
        ArrayNode subjects = root.putArray("subjects");
        for (SubjectReport r : reports) {
            ObjectNode s = subjects.addObject()
                    .put("subject", r.subject())
                    .put("compatibility", r.compatibility().name())
                    .put("registryCompatibility", r.registryCompatibility())
                    .put("outcome", r.outcome().name().toLowerCase().replace('_', '-'));
            r.registered().ifPresent(v -> s.put("id", v.id()).put("version", v.version()));
            r.reason().ifPresent(reason -> s.put("reason", reason));
        }
        out.println(root);
    }

    private static String detail(SubjectReport r, boolean dryRun) {
        String what =
                switch (r.outcome()) {
                    case UNCHANGED, REGISTERED ->
                        r.outcome().label + " (version "
                                + r.registered().orElseThrow().version() + ", id "
                                + r.registered().orElseThrow().id() + ")";
                    case WOULD_REGISTER -> r.outcome().label;
                    case INCOMPATIBLE -> r.outcome().label + ": " + r.reason().orElseThrow();
                };
        if (!r.compatibilityChanges()) {
            return what;
        }
        return what
                + (dryRun ? "; compatibility would be set, is " : "; compatibility set, was ")
                + r.registryCompatibility();
    }
}
