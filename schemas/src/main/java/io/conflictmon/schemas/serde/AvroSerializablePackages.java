package io.conflictmon.schemas.serde;

import io.conflictmon.avro.StrikeReport;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Makes Avro 1.12 trust the generated classes of {@value #PACKAGE}. Avro reads the system property
 * {@value #PROPERTY} once, when {@code ClassSecurityValidator} is first used, so appending to it helps only
 * before that; when the validator is already initialised without our package, we extend the global
 * predicate instead ({@link ClassSecurityValidator#setGlobal}), keeping whatever it already trusts.
 */
public final class AvroSerializablePackages {
    public static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
    public static final String PACKAGE = "io.conflictmon.avro";

    private static volatile boolean done;

    private AvroSerializablePackages() {
    }

    /** Idempotent and cheap after the first call. */
    public static void ensure() {
        if (done) {
            return;
        }
        synchronized (AvroSerializablePackages.class) {
            if (done) {
                return;
            }
            String current = System.getProperty(PROPERTY);
            if (!listsPackage(current)) {
                System.setProperty(PROPERTY, current == null || current.isBlank() ? PACKAGE : current + "," + PACKAGE);
            }
            ClassSecurityValidator.ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
            if (!global.isTrusted(StrikeReport.class)) {
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(global,
                        type -> type.getName().startsWith(PACKAGE + ".")));
            }
            done = true;
        }
    }

    private static boolean listsPackage(String property) {
        if (property == null) {
            return false;
        }
        for (String entry : property.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.equals("*") || trimmed.equals(PACKAGE) || PACKAGE.startsWith(trimmed + ".")) {
                return true;
            }
        }
        return false;
    }
}
