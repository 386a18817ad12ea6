package io.pagestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/** docker/compose.yaml and its GPU override. */
final class Compose {
    private Compose() {
    }

    static JsonNode file() {
        return Repo.yamlDocuments(Repo.DOCKER.resolve("compose.yaml")).getFirst();
    }

    static JsonNode gpu() {
        return Repo.yamlDocuments(Repo.DOCKER.resolve("compose.gpu.yaml")).getFirst();
    }
}
