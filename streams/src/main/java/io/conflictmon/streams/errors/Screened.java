package io.conflictmon.streams.errors;

import io.conflictmon.avro.RejectedRecord;

/**
 * An input record after validation: either accepted (value, possibly a null tombstone) or rejected
 * with the {@link RejectedRecord} to publish. Lives only inside one sub-topology, so it needs no serde.
 */
public record Screened<V>(V value, RejectedRecord rejection) {

  public static <V> Screened<V> accepted(V value) {
    return new Screened<>(value, null);
  }

  public static <V> Screened<V> rejected(RejectedRecord rejection) {
    return new Screened<>(null, rejection);
  }

  public boolean isAccepted() {
    return rejection == null;
  }
}
