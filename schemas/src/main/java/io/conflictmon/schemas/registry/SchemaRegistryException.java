package io.conflictmon.schemas.registry;

/**
 * A schema registry refused or failed a request. {@link #errorCode()} is Confluent's {@code error_code}
 * (40401 subject not found, 40402 version not found, 40403 schema not found, 409 incompatible, 42201
 * invalid schema, 42202 invalid version, 42203 invalid compatibility level, 50001 store error, ...);
 * {@link #httpStatus()} is the HTTP status, or {@link #UNREACHABLE} when no answer came back.
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** httpStatus when the registry could not be reached at all. */
    public static final int UNREACHABLE = -1;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;

    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(int httpStatus, int errorCode, String registryMessage) {
        this(httpStatus, errorCode, registryMessage, null);
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String registryMessage, Throwable cause) {
        super(registryMessage + " (HTTP " + httpStatus + ", error_code " + errorCode + ")", cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    public static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    public static SchemaRegistryException versionNotFound(String subject, Object version) {
        return new SchemaRegistryException(404, VERSION_NOT_FOUND,
                "Version " + version + " not found for subject '" + subject + "'.");
    }

    public static SchemaRegistryException schemaNotFound(String detail) {
        return new SchemaRegistryException(404, SCHEMA_NOT_FOUND, "Schema not found: " + detail);
    }

    public static SchemaRegistryException invalidSchema(String detail, Throwable cause) {
        return new SchemaRegistryException(422, INVALID_SCHEMA, "Invalid schema: " + detail, cause);
    }

    /** HTTP status of the answer, or {@link #UNREACHABLE}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent {@code error_code} (equal to the HTTP status when the registry gave none). */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's own message, without the status suffix. */
    public String registryMessage() {
        return registryMessage;
    }

    /** True for "no such subject / version / schema" answers. */
    public boolean isNotFound() {
        return httpStatus == 404;
    }
}
