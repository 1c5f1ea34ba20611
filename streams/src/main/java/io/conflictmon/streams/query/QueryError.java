package io.conflictmon.streams.query;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A query the API answers with an error: HTTP status, the DESIGN.md body
 * ({@code {"error": "short-code", "message": "...", "fields": [...]}}) and extra headers ({@code Retry-After}).
 * Thrown inside request handling, answered by {@link QueryApi}.
 */
public final class QueryError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String VALIDATION = "validation";
  public static final String NOT_FOUND = "not-found";
  public static final String UNAVAILABLE = "unavailable";
  public static final String PEER_ERROR = "peer-error";
  public static final String INTERNAL = "internal";

  private final int status;
  private final String code;
  private final transient List<FieldProblem> fields;
  private final transient Map<String, String> headers;

  public QueryError(int status, String code, String message, List<FieldProblem> fields, Map<String, String> headers) {
    super(message, null, false, false); // an answer, not a bug: no stack trace
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    this.fields = List.copyOf(fields);
    this.headers = Map.copyOf(headers);
  }

  public static QueryError invalid(List<FieldProblem> fields) {
    return new QueryError(400, VALIDATION, "invalid query parameters", fields, Map.of());
  }

  public static QueryError notFound(String message) {
    return new QueryError(404, NOT_FOUND, message, List.of(), Map.of());
  }

  /** 503 with {@code Retry-After} in whole seconds (at least 1). */
  public static QueryError unavailable(String message, long retryAfterSeconds) {
    return new QueryError(503, UNAVAILABLE, message, List.of(),
        Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  public static QueryError peer(String message) {
    return new QueryError(502, PEER_ERROR, message, List.of(), Map.of());
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Body body() {
    return new Body(code, getMessage(), fields);
  }

  /** A query parameter to blame: its name and what is wrong with it. */
  public record FieldProblem(String path, String message) {
  }

  /** The error body of DESIGN.md; {@code fields} is empty when no single parameter is to blame. */
  public record Body(String error, String message, List<FieldProblem> fields) {
  }
}
