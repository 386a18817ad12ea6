package io.pagestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/** docker/compose.yaml. */
final class Compose {
    private Compose() {}

    static JsonNode file() {
        return Repo.yamlDocuments(Repo.DOCKER.resolve("compose.yaml")).getFirst();
    }
}
