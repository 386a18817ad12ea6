package io.pagestream.deploy;

import java.util.List;
import java.util.Map;

/**
 * A kustomization.yaml, the fields these overlays use (kustomize refuses unknown ones as well). The overlays name their
 * base under {@code bases} and their patches under {@code patchesStrategicMerge}, the forms kustomize v2 (Debian's
 * kubectl 1.20) reads and v5 still renders identically.
 */
record Kustomization(
        String apiVersion,
        String kind,
        String namespace,
        List<String> resources,
        List<String> bases,
        List<String> patchesStrategicMerge,
        List<ConfigMapGenerator> configMapGenerator,
        GeneratorOptions generatorOptions) {

    record ConfigMapGenerator(String name, List<String> files) {}

    record GeneratorOptions(Boolean disableNameSuffixHash, Map<String, String> labels) {}
}
