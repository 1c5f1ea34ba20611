package io.conflictmon.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a readable Confluent-wire-format Avro record. {@link #reason()} tells dead-letter
 * handlers why, {@link #reasonCode()} gives the short code used in {@code RejectedRecord.reasonCode}.
 */
public class WireFormatException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** Why the bytes were refused. */
    public enum Reason {
        /** First byte is not 0. */
        BAD_MAGIC_BYTE("bad-wire-format"),
        /** Fewer than the 5 header bytes. */
        TRUNCATED("bad-wire-format"),
        /** The registry does not know the schema id. */
        UNKNOWN_SCHEMA_ID("unknown-schema-id"),
        /** The body does not decode with the writer schema. */
        UNDECODABLE("undecodable"),
        /** The registry could not be asked (down, refused); retrying may help. */
        REGISTRY_UNAVAILABLE("registry-unavailable");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String reasonCode() {
        return reason.code();
    }
}
