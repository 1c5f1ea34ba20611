package io.conflictmon.streams.reports;

import java.util.Objects;

/**
 * One effective change of an upserted report: what the aggregates counted before ({@code previous})
 * and what they must count now ({@code current}). Either side may be null: an insert has no
 * previous, a retraction (tombstone) no current. A duplicate never becomes a change.
 *
 * <p>Passed between processors of one sub-topology only, so it needs no serde.
 */
public record ReportChange<V>(String id, V previous, V current) {

  public ReportChange {
    Objects.requireNonNull(id, "id");
    if (previous == null && current == null) {
      throw new IllegalArgumentException("a change of report " + id + " needs a previous or a current version");
    }
  }

  public boolean isInsert() {
    return previous == null;
  }

  public boolean isRetraction() {
    return current == null;
  }

  public boolean isCorrection() {
    return previous != null && current != null;
  }
}
