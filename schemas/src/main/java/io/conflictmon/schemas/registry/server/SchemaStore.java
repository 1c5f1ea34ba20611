package io.conflictmon.schemas.registry.server;

import java.util.function.Consumer;

/**
 * Durable, ordered log of {@link StoreRecord}s behind the registry. Every record is handed to the applier in
 * store order, on whatever thread the store uses; the applier must be thread-safe with the readers.
 */
public interface SchemaStore extends AutoCloseable {

    /** Replays what is stored into the applier, returns once that is done, then keeps applying new records. */
    void start(Consumer<StoreRecord> applier);

    /** Returns once every record stored before the call (by any instance) has been applied. */
    void catchUp();

    /** Stores the record durably and returns once it has been applied. */
    void write(StoreRecord record);

    /** For the start-up log line, e.g. "in-memory" or "kafka topic _schemas at localhost:9092". */
    String description();

    @Override
    void close();
}
