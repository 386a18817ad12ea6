package io.pagestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The containers of rendered workloads and of the compose file, with the service whose image each runs. */
final class Containers {

    /** A container of a Deployment or StatefulSet (init containers included), or a compose service. */
    record Found(String where, String image, JsonNode node, JsonNode workload) {
        Service service() {
            return Service.byImage(image).orElseThrow();
        }

        boolean isPagestream() {
            return Service.byImage(image).isPresent();
        }

        /** Environment variable names to their literal values (null where set from a reference). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            JsonNode list = node.path("env");
            if (list.isArray()) {
                list.forEach(e -> env.put(
                        e.path("name").asText(),
                        e.has("value") ? e.path("value").asText() : null));
            } else {
                list.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            }
            return env;
        }
    }

    private Containers() {}

    static List<Found> ofWorkloads(List<JsonNode> docs) {
        List<Found> found = new ArrayList<>();
        for (JsonNode doc : docs) {
            String kind = doc.path("kind").asText();
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                continue;
            }
            JsonNode pod = doc.at("/spec/template/spec");
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : pod.path(list)) {
                    found.add(new Found(
                            kind + " " + doc.at("/metadata/name").asText() + " " + list + "/"
                                    + c.path("name").asText(),
                            c.path("image").asText(),
                            c,
                            doc));
                }
            }
        }
        return found;
    }

    /** The main (not init) pagestream container of a service's workload, if the documents have one. */
    static Optional<Found> main(List<JsonNode> docs, Service service) {
        return ofWorkloads(docs).stream()
                .filter(f -> f.where().contains(" containers/") && f.image().equals(service.image()))
                .findFirst();
    }

    static List<Found> ofCompose(JsonNode compose) {
        List<Found> found = new ArrayList<>();
        compose.path("services")
                .properties()
                .forEach(e -> found.add(new Found(
                        "compose service " + e.getKey(),
                        e.getValue().path("image").asText(),
                        e.getValue(),
                        compose)));
        return found;
    }
}
