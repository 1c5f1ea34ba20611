package io.conflictmon.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Maps the registry's compatibility levels onto Avro's own reader/writer check ({@link SchemaCompatibility});
 * only the glue is written here. BACKWARD: the new schema (reader) reads data of the old (writer); FORWARD:
 * the old reads the new; FULL: both. Non-transitive levels look at the latest existing version only.
 */
public final class CompatibilityChecker {

    /** Outcome of a check: {@code messages} name each incompatibility, empty when compatible. */
    public record Result(boolean compatible, List<String> messages) {
        public Result {
            messages = List.copyOf(messages);
        }
    }

    private CompatibilityChecker() {
    }

    /** Checks against existing schemas given oldest first; messages label them by position (1-based). */
    public static Result check(CompatibilityLevel level, Schema candidate, List<Schema> existingOldestFirst) {
        SortedMap<Integer, Schema> byPosition = new TreeMap<>();
        for (int i = 0; i < existingOldestFirst.size(); i++) {
            byPosition.put(i + 1, existingOldestFirst.get(i));
        }
        return check(level, candidate, byPosition);
    }

    /** Checks against existing schemas keyed by version number; messages name the version. */
    public static Result check(CompatibilityLevel level, Schema candidate, SortedMap<Integer, Schema> existingByVersion) {
        if (level == CompatibilityLevel.NONE || existingByVersion.isEmpty()) {
            return new Result(true, List.of());
        }
        SortedMap<Integer, Schema> against = level.isTransitive()
                ? existingByVersion
                : existingByVersion.tailMap(existingByVersion.lastKey());
        List<String> messages = new ArrayList<>();
        // newest first, like Confluent: the most relevant break is reported first
        List<Map.Entry<Integer, Schema>> entries = new ArrayList<>(against.entrySet());
        for (int i = entries.size() - 1; i >= 0; i--) {
            int version = entries.get(i).getKey();
            Schema existing = entries.get(i).getValue();
            if (level.checksBackward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing), candidate,
                        "BACKWARD: new schema cannot read data written with version " + version, messages);
            }
            if (level.checksForward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate), existing,
                        "FORWARD: version " + version + " cannot read data written with the new schema", messages);
            }
        }
        return new Result(messages.isEmpty(), messages);
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility pair, Schema reader, String direction,
            List<String> out) {
        if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        List<Incompatibility> incompatibilities = pair.getResult().getIncompatibilities();
        if (incompatibilities.isEmpty()) {
            out.add(direction + ": " + pair.getDescription());
            return;
        }
        for (Incompatibility incompatibility : incompatibilities) {
            String location = incompatibility.getLocation();
            String field = fieldPath(reader, location);
            out.add(direction + ": " + incompatibility.getType() + " at " + (field.isEmpty() ? location : field + " (" + location + ")")
                    + ": " + incompatibility.getMessage());
        }
    }

    /**
     * Turns Avro's location pointer in the reader schema (e.g. {@code /fields/8/type}) into field names
     * (e.g. {@code launched}); empty when the pointer names no field.
     */
    static String fieldPath(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        Schema current = reader;
        String[] parts = location.split("/");
        try {
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty() || part.equals("type")) {
                    continue;
                }
                if (part.equals("fields") && i + 1 < parts.length) {
                    Schema.Field field = current.getFields().get(Integer.parseInt(parts[++i]));
                    names.add(field.name());
                    current = field.schema();
                } else if (part.equals("items")) {
                    current = current.getElementType();
                    names.add("[]");
                } else if (part.equals("values")) {
                    current = current.getValueType();
                    names.add("{}");
                } else if (part.chars().allMatch(Character::isDigit) && current.getType() == Schema.Type.UNION) {
                    current = current.getTypes().get(Integer.parseInt(part));
                } else {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // a pointer we do not understand: the raw location still goes into the message
        }
        return String.join(".", names).replace(".[]", "[]").replace(".{}", "{}");
    }
}
