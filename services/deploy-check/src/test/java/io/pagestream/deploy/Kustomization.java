package io.pagestream.deploy;

import java.util.List;

/** A kustomization.yaml, the fields these overlays use (kustomize refuses unknown ones as well). */
record Kustomization(String apiVersion, String kind, String namespace, List<String> resources, List<Patch> patches) {

    record Patch(String path, Target target, String patch) {
    }

    record Target(String group, String version, String kind, String name) {
    }
}
