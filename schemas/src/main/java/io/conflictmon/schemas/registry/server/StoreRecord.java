package io.conflictmon.schemas.registry.server;

import io.conflictmon.schemas.registry.CompatibilityLevel;
import java.util.Objects;

/** One change of registry state, as a {@link SchemaStore} keeps it. Applied in store order by every instance. */
public sealed interface StoreRecord {

    /** A subject version: schema text (canonical form), its global id, and whether it is soft-deleted. */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements StoreRecord {
        public SchemaVersion {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }
    }

    /** A version removed for good (a tombstone of its {@link SchemaVersion}). */
    record SchemaVersionRemoved(String subject, int version) implements StoreRecord {
        public SchemaVersionRemoved {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** Compatibility level of a subject, or the global one when subject is null; level null removes it. */
    record Config(String subject, CompatibilityLevel level) implements StoreRecord {
    }
}
