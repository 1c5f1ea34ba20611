package io.conflictmon.schemas.registry;

import io.conflictmon.schemas.registry.server.InMemorySchemaStore;
import io.conflictmon.schemas.registry.server.SchemaRegistryService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Registry client without a server, for unit tests (TopologyTestDriver). Same semantics as the embedded
 * registry because it runs the same {@link SchemaRegistryService} on an in-memory store. Thread-safe.
 * {@link #forScope(String)} gives one shared instance per name, for serdes configured with
 * {@code schema.registry.url=mock://<scope>}.
 */
public class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final SchemaRegistryService service = new SchemaRegistryService(new InMemorySchemaStore());

    /** The shared client of a scope (created on first use); it lives until {@link #dropScope(String)}. */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
    }

    /** Forgets a scope, so the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public int register(String subject, Schema schema) {
        return service.register(subject, schema);
    }

    @Override
    public Schema getById(int id) {
        return service.schemaById(id);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return service.version(subject, -1);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return service.version(subject, version);
    }

    @Override
    public List<String> subjects() {
        return service.subjects();
    }

    @Override
    public List<Integer> versions(String subject) {
        return service.versions(subject);
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        if (service.subjects().contains(subject)) {
            return service.testCompatibility(subject, "latest", schema).compatible();
        }
        return true;
    }

    @Override
    public CompatibilityLevel getCompatibility(String subjectOrNullForGlobal) {
        return service.compatibility(subjectOrNullForGlobal);
    }

    @Override
    public void setCompatibility(String subjectOrNullForGlobal, CompatibilityLevel level) {
        service.setCompatibility(subjectOrNullForGlobal, level);
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return service.lookup(subject, schema);
    }

    @Override
    public void close() {
        // nothing to release; scoped instances stay shared until dropScope
    }
}
