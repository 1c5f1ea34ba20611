package io.conflictmon.ingest.importer;

/** The input as a whole is not in the expected format (no header, a required column missing, unreadable bytes). */
public class ImportFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImportFormatException(String message) {
        super(message);
    }

    public ImportFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
