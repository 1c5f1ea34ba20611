package io.conflictmon.schemas.serde;

import org.apache.avro.Schema;

/**
 * Cache key on a subject and a schema instance by identity: generated classes return one SCHEMA$ instance,
 * so the hot path avoids {@link Schema#equals}, which walks the whole schema.
 */
final class IdentityKey {
    private final String subject;
    private final Schema schema;

    IdentityKey(String subject, Schema schema) {
        this.subject = subject;
        this.schema = schema;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKey other && other.schema == schema && other.subject.equals(subject);
    }

    @Override
    public int hashCode() {
        return subject.hashCode() * 31 + System.identityHashCode(schema);
    }
}
