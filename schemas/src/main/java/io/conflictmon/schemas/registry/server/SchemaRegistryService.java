package io.conflictmon.schemas.registry.server;

import io.conflictmon.schemas.registry.CompatibilityChecker;
import io.conflictmon.schemas.registry.CompatibilityLevel;
import io.conflictmon.schemas.registry.RegisteredSchema;
import io.conflictmon.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.Schema;

/**
 * Registry semantics over a {@link SchemaStore}, shared by the embedded HTTP registry and the in-memory client:
 * global ids stable per schema (canonical form {@link Schema#toString()}, same text in any subject => same id),
 * versions per subject, compatibility checks with {@link CompatibilityChecker}. Errors are
 * {@link SchemaRegistryException}s carrying Confluent's status and error codes.
 */
public final class SchemaRegistryService implements AutoCloseable {
    private final SchemaStore store;
    private final RegistryState state = new RegistryState();
    // one writer at a time per instance: catch up, decide, write, so ids and versions never clash locally
    private final ReentrantLock writeLock = new ReentrantLock();

    public SchemaRegistryService(SchemaStore store) {
        this.store = Objects.requireNonNull(store, "store");
        store.start(state::apply);
    }

    public SchemaStore store() {
        return store;
    }

    /** Parses a schema text, mapping failures to 42201. */
    public static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw SchemaRegistryException.invalidSchema("empty schema", null);
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) {
            throw SchemaRegistryException.invalidSchema(e.getMessage(), e);
        }
    }

    /** Registers (idempotent) and returns the global id; 409 when incompatible at the subject's level. */
    public int register(String subject, Schema schema) {
        requireSubject(subject);
        String canonical = schema.toString();
        writeLock.lock();
        try {
            catchUp();
            SortedMap<Integer, RegistryState.Version> live = state.liveVersions(subject);
            for (RegistryState.Version v : live.values()) {
                if (state.schemaById(v.id()).map(s -> s.canonical().equals(canonical)).orElse(false)) {
                    return v.id();
                }
            }
            CompatibilityChecker.Result result = CompatibilityChecker.check(
                    compatibility(subject), schema, schemasOf(live));
            if (!result.compatible()) {
                throw incompatible(subject, result);
            }
            int id = state.idOf(canonical).orElse(state.maxId() + 1);
            int version = state.maxVersion(subject) + 1;
            write(new StoreRecord.SchemaVersion(subject, version, id, canonical, false));
            return id;
        } finally {
            writeLock.unlock();
        }
    }

    public int register(String subject, String schemaText) {
        return register(subject, parse(schemaText));
    }

    /** {@code POST /subjects/{subject}}: the live version holding an identical schema. */
    public RegisteredSchema lookup(String subject, Schema schema) {
        SortedMap<Integer, RegistryState.Version> live = requireLiveVersions(subject);
        String canonical = schema.toString();
        for (RegistryState.Version v : live.values()) {
            RegistryState.StoredSchema stored = state.schemaById(v.id()).orElseThrow();
            if (stored.canonical().equals(canonical)) {
                return new RegisteredSchema(subject, v.version(), v.id(), stored.schema());
            }
        }
        throw SchemaRegistryException.schemaNotFound("no identical schema registered under subject '" + subject + "'");
    }

    public Schema schemaById(int id) {
        return state.schemaById(id)
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("schema id " + id + " not found"))
                .schema();
    }

    /** Subjects using the schema id, sorted. */
    public List<String> subjectsOf(int id) {
        schemaById(id);
        return state.usagesOf(id).stream().map(RegistryState.Version::subject).distinct().sorted().toList();
    }

    /** A version by its path form: "latest", "-1" or a number 1..2^31-1; 42202 otherwise. */
    public RegisteredSchema version(String subject, String versionSpec) {
        return version(subject, parseVersion(versionSpec));
    }

    /** A version by number; -1 means latest. */
    public RegisteredSchema version(String subject, int version) {
        SortedMap<Integer, RegistryState.Version> live = requireLiveVersions(subject);
        RegistryState.Version v = version == -1 ? live.get(live.lastKey()) : live.get(version);
        if (v == null) {
            throw SchemaRegistryException.versionNotFound(subject, version);
        }
        return new RegisteredSchema(subject, v.version(), v.id(), state.schemaById(v.id()).orElseThrow().schema());
    }

    public List<String> subjects() {
        return state.liveSubjects();
    }

    public List<Integer> versions(String subject) {
        return List.copyOf(requireLiveVersions(subject).keySet());
    }

    /**
     * Compatibility against one version ("latest" or a number), in the direction(s) of the subject's level;
     * with versionSpec null, the same check as a registration (all versions for TRANSITIVE levels).
     */
    public CompatibilityChecker.Result testCompatibility(String subject, String versionSpec, Schema schema) {
        CompatibilityLevel level = compatibility(subject);
        if (versionSpec == null) {
            return CompatibilityChecker.check(level, schema, schemasOf(state.liveVersions(subject)));
        }
        RegisteredSchema against = version(subject, versionSpec);
        SortedMap<Integer, Schema> one = new TreeMap<>();
        one.put(against.version(), against.schema());
        return CompatibilityChecker.check(nonTransitive(level), schema, one);
    }

    /** Effective level: the subject's own, else the global one; the global one for null. */
    public CompatibilityLevel compatibility(String subjectOrNull) {
        if (subjectOrNull != null) {
            Optional<CompatibilityLevel> own = state.subjectLevel(subjectOrNull);
            if (own.isPresent()) {
                return own.get();
            }
        }
        return state.globalLevel();
    }

    /** The subject's own level, if it has one. */
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return state.subjectLevel(subject);
    }

    public void setCompatibility(String subjectOrNull, CompatibilityLevel level) {
        Objects.requireNonNull(level, "level");
        writeLocked(new StoreRecord.Config(subjectOrNull, level));
    }

    /** Removes the subject's own level; returns the level it had (40401 when it had none). */
    public CompatibilityLevel deleteSubjectCompatibility(String subject) {
        CompatibilityLevel previous = state.subjectLevel(subject).orElseThrow(() -> SchemaRegistryException.subjectNotFound(subject));
        writeLocked(new StoreRecord.Config(subject, null));
        return previous;
    }

    /** Soft-deletes every live version of the subject and returns their numbers. */
    public List<Integer> deleteSubject(String subject) {
        writeLock.lock();
        try {
            catchUp();
            SortedMap<Integer, RegistryState.Version> live = requireLiveVersions(subject);
            List<Integer> deleted = new ArrayList<>();
            for (RegistryState.Version v : live.values()) {
                Schema schema = state.schemaById(v.id()).orElseThrow().schema();
                write(new StoreRecord.SchemaVersion(subject, v.version(), v.id(), schema.toString(), true));
                deleted.add(v.version());
            }
            return deleted;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        store.close();
    }

    /** Parses a version path segment; 42202 when it is not "latest", -1 or a positive int. */
    public static int parseVersion(String versionSpec) {
        if ("latest".equalsIgnoreCase(versionSpec)) {
            return -1;
        }
        try {
            int v = Integer.parseInt(versionSpec);
            if (v == -1 || v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION, "The specified version '"
                + versionSpec + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static CompatibilityLevel nonTransitive(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
    }

    private void writeLocked(StoreRecord record) {
        writeLock.lock();
        try {
            catchUp();
            write(record);
        } finally {
            writeLock.unlock();
        }
    }

    private void write(StoreRecord record) {
        try {
            store.write(record);
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw storeError("writing to", e);
        }
    }

    private void catchUp() {
        try {
            store.catchUp();
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw storeError("reading", e);
        }
    }

    private SchemaRegistryException storeError(String action, RuntimeException e) {
        return new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                "Error while " + action + " the schema store (" + store.description() + "): " + e.getMessage(), e);
    }

    private SortedMap<Integer, RegistryState.Version> requireLiveVersions(String subject) {
        requireSubject(subject);
        SortedMap<Integer, RegistryState.Version> live = state.liveVersions(subject);
        if (live.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return live;
    }

    private SortedMap<Integer, Schema> schemasOf(SortedMap<Integer, RegistryState.Version> versions) {
        SortedMap<Integer, Schema> out = new TreeMap<>();
        versions.forEach((number, v) -> out.put(number, state.schemaById(v.id()).orElseThrow().schema()));
        return out;
    }

    private static SchemaRegistryException incompatible(String subject, CompatibilityChecker.Result result) {
        return new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                        + "\", details: " + String.join("; ", result.messages()));
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new SchemaRegistryException(422, 42208, "Invalid subject: it must not be empty");
        }
    }
}
