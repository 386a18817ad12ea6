package io.pagestream.servicetest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the Grafana dashboard ({@code k8s/base/grafana/pagestream-dashboard.json}) queries, so that each
 * service's tests can check them against what the service really exposes and the dashboard cannot drift from the
 * code. The dashboard's convention: panels sit under a row named after their service ("Ingest", "Worker",
 * "Assembler") or under "JVM" (every service), and every metric in a query has a label selector ({@code name{...}}).
 */
public final class Dashboard {
    /** Where the dashboard is, from a service module's directory (Surefire's and Failsafe's working directory). */
    public static final Path FILE = Path.of("..", "..", "k8s", "base", "grafana", "pagestream-dashboard.json");
    /** The row whose panels every service must serve, with the template variables' queries. */
    public static final String EVERY_SERVICE = "JVM";

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private Dashboard() {}

    /** The metrics queried by the panels of row {@code service} and of the JVM row and template variables. */
    public static Set<String> metricsOf(String service) {
        JsonNode dashboard = read();
        Set<String> names = new TreeSet<>();
        String row = null;
        boolean sawRow = false;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                row = panel.path("title").asText();
                sawRow |= row.equals(service);
                continue;
            }
            if (service.equals(row) || EVERY_SERVICE.equals(row)) {
                panel.path("targets")
                        .forEach(target ->
                                names.addAll(selected(target.path("expr").asText())));
            }
        }
        if (!sawRow) {
            throw new AssertionError("the dashboard has no row " + service);
        }
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> names.addAll(selected(v.path("definition").asText())));
        return names;
    }

    /** Of {@code names}, those that name no series in {@code exposition} (Prometheus text format). */
    public static Set<String> missingFrom(String exposition, Set<String> names) {
        Set<String> series = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            Matcher m = SERIES.matcher(line);
            if (m.find()) {
                series.add(m.group(1));
            }
        }
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(series);
        return missing;
    }

    private static Set<String> selected(String query) {
        Set<String> names = new TreeSet<>();
        Matcher m = SELECTOR.matcher(query);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard at " + FILE.toAbsolutePath(), e);
        }
    }
}
