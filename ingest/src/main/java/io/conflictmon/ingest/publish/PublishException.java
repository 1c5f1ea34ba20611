package io.conflictmon.ingest.publish;

/** Kafka did not take one or more records; nothing was dropped silently. */
public class PublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
