package io.conflictmon.streams.reports;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** Content equality of report versions: what makes a re-sent report a duplicate. */
public final class ReportContent {

  /** The field every report carries that says when the pipeline accepted it, not what it reports. */
  public static final String REPORTED_AT = "reportedAt";

  private ReportContent() {
  }

  /**
   * True when both versions carry the same values in every field but {@code reportedAt}: a re-sent
   * report that must change nothing. Compares the logical values (Instant, LocalDate, lists, maps).
   */
  public static <V extends SpecificRecordBase> boolean sameIgnoringReportedAt(V a, V b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || !a.getSchema().equals(b.getSchema())) {
      return false;
    }
    for (Schema.Field field : a.getSchema().getFields()) {
      if (!REPORTED_AT.equals(field.name()) && !Objects.equals(a.get(field.pos()), b.get(field.pos()))) {
        return false;
      }
    }
    return true;
  }
}
