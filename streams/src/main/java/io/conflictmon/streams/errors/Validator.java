package io.conflictmon.streams.errors;

import io.conflictmon.avro.FieldError;
import java.util.List;

/** Checks a deserialized input record against the rules the aggregates rely on. */
@FunctionalInterface
public interface Validator<V> {

  /**
   * The broken rules of one record, empty when it may be counted.
   *
   * @param value null for a tombstone (a retraction)
   */
  List<FieldError> validate(String key, V value);
}
