package io.conflictmon.streams.errors;

import io.conflictmon.avro.FieldError;
import io.conflictmon.avro.RejectedRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Builds the {@link RejectedRecord}s the streams app sends to the dead-letter topic. */
public final class RejectedRecords {

  /** Reason code of a value that deserialized but broke a rule of the contract. */
  public static final String VALIDATION = "validation";
  /** Reason code of bytes that failed to deserialize for a reason the serde did not name. */
  public static final String UNDECODABLE = "undecodable";

  private RejectedRecords() {
  }

  /** The DLQ key and {@code sourceId} of an input record: {@code topic-partition@offset}. */
  public static String sourceId(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  public static RejectedRecord fromInput(String topic, int partition, long offset, String reasonCode, String reason,
                                         List<FieldError> fieldErrors, byte[] payload, Instant rejectedAt) {
    return RejectedRecord.newBuilder()
        .setSource(topic)
        .setSourceId(sourceId(topic, partition, offset))
        .setReasonCode(reasonCode)
        .setReason(reason)
        .setFieldErrors(fieldErrors)
        .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setRejectedAt(rejectedAt)
        .build();
  }

  /** One line naming every field error, for the {@code reason} of a validation failure. */
  public static String describe(List<FieldError> errors) {
    StringBuilder reason = new StringBuilder("failed validation: ");
    for (int i = 0; i < errors.size(); i++) {
      if (i > 0) {
        reason.append("; ");
      }
      reason.append(errors.get(i).getPath()).append(' ').append(errors.get(i).getMessage());
    }
    return reason.toString();
  }
}
