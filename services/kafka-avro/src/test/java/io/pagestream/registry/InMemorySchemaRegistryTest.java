package io.pagestream.registry;

import io.pagestream.registry.testing.InMemorySchemaRegistry;

class InMemorySchemaRegistryTest extends SchemaRegistryContract {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Override
    SchemaRegistry registry() {
        return registry;
    }
}
