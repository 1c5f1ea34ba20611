package io.conflictmon.schemas.registry.server;

import java.util.Objects;
import java.util.function.Consumer;

/** A store that keeps nothing beyond the registry's own state: records are applied at once. */
public final class InMemorySchemaStore implements SchemaStore {
    private volatile Consumer<StoreRecord> applier;

    @Override
    public void start(Consumer<StoreRecord> applier) {
        this.applier = Objects.requireNonNull(applier, "applier");
    }

    @Override
    public void catchUp() {
        // nothing outside this process can write
    }

    @Override
    public void write(StoreRecord record) {
        Consumer<StoreRecord> target = applier;
        if (target == null) {
            throw new IllegalStateException("store not started");
        }
        target.accept(record);
    }

    @Override
    public String description() {
        return "in-memory";
    }

    @Override
    public void close() {
        applier = null;
    }
}
