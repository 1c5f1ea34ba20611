package io.conflictmon.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API the project uses. Implementations: {@link
 * HttpSchemaRegistryClient} (any Confluent-compatible registry, including the embedded one) and {@link
 * InMemorySchemaRegistryClient} (unit tests). All methods throw {@link SchemaRegistryException} on a
 * refused request.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (checking compatibility) and returns its global id; idempotent. */
    int register(String subject, Schema schema);

    /** The schema with that global id. */
    Schema getById(int id);

    /** The latest (highest, not deleted) version of the subject. */
    RegisteredSchema getLatest(String subject);

    /** One version of the subject. */
    RegisteredSchema getVersion(String subject, int version);

    /** Subjects with at least one live version, sorted. */
    List<String> subjects();

    /** Live version numbers of the subject, ascending. */
    List<Integer> versions(String subject);

    /**
     * Whether the schema is compatible, at the subject's level, with the subject's latest version
     * ({@code POST /compatibility/subjects/{subject}/versions/latest}). True for a subject without versions.
     */
    boolean testCompatibility(String subject, Schema schema);

    /** The level of the subject, falling back to the global one; the global level for {@code null}. */
    CompatibilityLevel getCompatibility(String subjectOrNullForGlobal);

    /** Sets the level of the subject, or the global level for {@code null}. */
    void setCompatibility(String subjectOrNullForGlobal, CompatibilityLevel level);

    /**
     * Finds an identical schema already registered under the subject ({@code POST /subjects/{subject}}),
     * without registering anything.
     *
     * @throws SchemaRegistryException 40401 when the subject does not exist, 40403 when the schema is not in it
     */
    default RegisteredSchema lookup(String subject, Schema schema) {
        String wanted = schema.toString();
        for (Integer version : versions(subject)) {
            RegisteredSchema candidate = getVersion(subject, version);
            if (candidate.schema().toString().equals(wanted)) {
                return candidate;
            }
        }
        throw SchemaRegistryException.schemaNotFound("no identical schema registered under subject '" + subject + "'");
    }

    @Override
    void close();
}
