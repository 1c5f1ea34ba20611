package io.conflictmon.schemas.registry.server;

import io.conflictmon.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state, rebuilt from {@link StoreRecord}s: schemas by global id, versions per subject and
 * compatibility levels. Mutated only by {@link #apply}; all methods are synchronized because the store applies
 * on its own thread while HTTP threads read.
 */
final class RegistryState {
    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    /** A schema known by id; {@code canonical} is {@link Schema#toString()} of the parsed text. */
    record StoredSchema(int id, String canonical, Schema schema) {
    }

    /** One version of a subject. */
    record Version(String subject, int version, int id, boolean deleted) {
    }

    private final Map<Integer, StoredSchema> schemasById = new HashMap<>();
    private final Map<String, Integer> idByCanonical = new HashMap<>();
    private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    synchronized void apply(StoreRecord record) {
        if (record instanceof StoreRecord.SchemaVersion v) {
            applyVersion(v);
        } else if (record instanceof StoreRecord.SchemaVersionRemoved r) {
            TreeMap<Integer, Version> versions = subjects.get(r.subject());
            if (versions != null) {
                versions.remove(r.version());
                if (versions.isEmpty()) {
                    subjects.remove(r.subject());
                }
            }
        } else if (record instanceof StoreRecord.Config c) {
            if (c.subject() == null) {
                globalLevel = c.level();
            } else if (c.level() == null) {
                subjectLevels.remove(c.subject());
            } else {
                subjectLevels.put(c.subject(), c.level());
            }
        }
    }

    private void applyVersion(StoreRecord.SchemaVersion v) {
        StoredSchema known = schemasById.get(v.id());
        if (known == null) {
            Schema schema;
            try {
                schema = new Schema.Parser().parse(v.schema());
            } catch (RuntimeException e) {
                log.error("Skipping stored version {} of subject '{}': schema id {} does not parse: {}",
                        v.version(), v.subject(), v.id(), e.getMessage());
                return;
            }
            known = new StoredSchema(v.id(), schema.toString(), schema);
            schemasById.put(v.id(), known);
            idByCanonical.putIfAbsent(known.canonical(), v.id());
            maxId = Math.max(maxId, v.id());
        } else if (!known.canonical().equals(new Schema.Parser().parse(v.schema()).toString())) {
            // two writers assigned the same id concurrently; the first record in store order wins
            log.error("Schema id {} is stored with two different schemas; keeping the first, ignoring version {} of '{}'",
                    v.id(), v.version(), v.subject());
            return;
        }
        subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>())
                .put(v.version(), new Version(v.subject(), v.version(), v.id(), v.deleted()));
    }

    synchronized Optional<StoredSchema> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    synchronized Optional<Integer> idOf(String canonical) {
        return Optional.ofNullable(idByCanonical.get(canonical));
    }

    synchronized int maxId() {
        return maxId;
    }

    /** Subjects with at least one live version, sorted. */
    synchronized List<String> liveSubjects() {
        List<String> out = new ArrayList<>();
        subjects.forEach((subject, versions) -> {
            if (versions.values().stream().anyMatch(v -> !v.deleted())) {
                out.add(subject);
            }
        });
        return out;
    }

    /** Live versions of the subject, by version number (empty when the subject is unknown or deleted). */
    synchronized SortedMap<Integer, Version> liveVersions(String subject) {
        TreeMap<Integer, Version> out = new TreeMap<>();
        TreeMap<Integer, Version> versions = subjects.get(subject);
        if (versions != null) {
            versions.forEach((number, v) -> {
                if (!v.deleted()) {
                    out.put(number, v);
                }
            });
        }
        return out;
    }

    /** Highest version number ever used by the subject, deleted ones included; 0 when none. */
    synchronized int maxVersion(String subject) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** Subjects (live versions) that use the schema id. */
    synchronized List<Version> usagesOf(int id) {
        List<Version> out = new ArrayList<>();
        subjects.values().forEach(versions -> versions.values().forEach(v -> {
            if (v.id() == id && !v.deleted()) {
                out.add(v);
            }
        }));
        return out;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel == null ? CompatibilityLevel.DEFAULT : globalLevel;
    }
}
