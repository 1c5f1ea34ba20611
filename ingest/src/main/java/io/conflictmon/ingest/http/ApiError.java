package io.conflictmon.ingest.http;

import io.conflictmon.ingest.validation.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request the API answers with an error: the HTTP status, the body in the DESIGN.md shape
 * ({@code {"error": "short-code", "message": "...", "fields": [...]}}) and extra response headers
 * ({@code Retry-After}, {@code WWW-Authenticate}). Thrown inside the request handling, answered by {@link IngestApi}.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Short codes of the {@code error} field. */
    public static final String VALIDATION = "validation";
    public static final String MALFORMED_JSON = "malformed-json";
    public static final String JSON_LIMITS = "json-limits";
    public static final String WRONG_TYPE = "wrong-type";
    public static final String EMPTY_BODY = "empty-body";
    public static final String BODY_TOO_LARGE = "body-too-large";
    public static final String TOO_MANY_ITEMS = "too-many-items";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String UNAVAILABLE = "unavailable";
    public static final String INTERNAL = "internal";

    private final int status;
    private final String code;
    private final transient List<FieldError> fields;
    private final transient Map<String, String> headers;

    public ApiError(int status, String code, String message, List<FieldError> fields, Map<String, String> headers) {
        super(message, null, false, false); // an answer, not a bug: no stack trace to fill
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.fields = List.copyOf(fields);
        this.headers = Map.copyOf(headers);
    }

    public ApiError(int status, String code, String message) {
        this(status, code, message, List.of(), Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> fields() {
        return fields;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The JSON body. */
    public Body body() {
        return new Body(code, getMessage(), fields);
    }

    /** The error body of DESIGN.md; {@code fields} is empty when no single field is to blame. */
    public record Body(String error, String message, List<FieldError> fields) {
    }
}
