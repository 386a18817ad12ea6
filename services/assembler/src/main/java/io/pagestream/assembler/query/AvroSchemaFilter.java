package io.pagestream.assembler.query;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * The OpenAPI document describes the Avro records of the view (a page's structure, an answer's evidence) as the JSON
 * shows them. The scanner sees their {@code getSchema()} and {@code getSpecificData()} getters, which the JSON leaves
 * out ({@code AvroBeans}), and follows them into Avro's internals (Schema, Field, GenericData, ...): those two
 * properties are taken out, then every component schema the API no longer reaches. SmallRye's own unused-schema
 * removal is not enough: it keeps Avro's internals, which refer to each other.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class AvroSchemaFilter implements OASFilter {
    private static final String COMPONENT_REF = "#/components/schemas/";

    @Override
    public Schema filterSchema(Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties != null && properties.containsKey("specificData") && properties.containsKey("schema")) {
            schema.removeProperty("specificData");
            schema.removeProperty("schema");
        }
        return schema;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> components = openAPI.getComponents().getSchemas();
        Set<String> reached = new HashSet<>();
        Deque<Schema> toVisit = new ArrayDeque<>(usedByOperations(openAPI));
        while (!toVisit.isEmpty()) {
            Schema schema = toVisit.pop();
            String ref = schema.getRef();
            if (ref != null && ref.startsWith(COMPONENT_REF)) {
                String name = ref.substring(COMPONENT_REF.length());
                if (reached.add(name) && components.containsKey(name)) {
                    toVisit.push(components.get(name));
                }
            }
            nested(schema).forEach(toVisit::push);
        }
        new ArrayList<>(components.keySet())
                .stream().filter(name -> !reached.contains(name)).forEach(openAPI.getComponents()::removeSchema);
    }

    private static List<Schema> usedByOperations(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return List.of();
        }
        List<Schema> used = new ArrayList<>();
        openAPI.getPaths().getPathItems().values().forEach(path -> {
            Stream.ofNullable(path.getParameters())
                    .flatMap(List::stream)
                    .map(Parameter::getSchema)
                    .filter(Objects::nonNull)
                    .forEach(used::add);
            for (Operation operation : path.getOperations().values()) {
                Stream.ofNullable(operation.getParameters())
                        .flatMap(List::stream)
                        .map(Parameter::getSchema)
                        .filter(Objects::nonNull)
                        .forEach(used::add);
                if (operation.getRequestBody() != null) {
                    used.addAll(schemas(operation.getRequestBody().getContent()));
                }
                if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
                    operation
                            .getResponses()
                            .getAPIResponses()
                            .values()
                            .forEach(response -> used.addAll(schemas(response.getContent())));
                }
            }
        });
        return used;
    }

    private static List<Schema> schemas(Content content) {
        if (content == null || content.getMediaTypes() == null) {
            return List.of();
        }
        return content.getMediaTypes().values().stream()
                .map(MediaType::getSchema)
                .filter(Objects::nonNull)
                .toList();
    }

    private static List<Schema> nested(Schema schema) {
        List<Schema> nested = new ArrayList<>();
        if (schema.getProperties() != null) {
            nested.addAll(schema.getProperties().values());
        }
        Stream.of(schema.getItems(), schema.getAdditionalPropertiesSchema(), schema.getNot())
                .filter(Objects::nonNull)
                .forEach(nested::add);
        Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
                .filter(Objects::nonNull)
                .forEach(nested::addAll);
        return nested;
    }
}
