package io.conflictmon.ingest.validation;

import java.util.Objects;

/**
 * One field that failed validation: its path ({@code launched}, {@code targetRegions[2]}) and what was wrong,
 * saying what is allowed. Serialises to the {@code fields} items of the API's error body.
 */
public record FieldError(String path, String message) {
    public FieldError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** The Avro form carried by {@code RejectedRecord.fieldErrors}. */
    public io.conflictmon.avro.FieldError toAvro() {
        return new io.conflictmon.avro.FieldError(path, message);
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
