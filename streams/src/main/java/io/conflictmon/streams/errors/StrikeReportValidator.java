package io.conflictmon.streams.errors;

import io.conflictmon.avro.FieldError;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a strike report must meet before it is counted. The ingest service checks more (string
 * lengths, dates in range); these are the ones whose breach would corrupt an aggregate, checked again
 * because anyone may produce to the topic.
 */
public final class StrikeReportValidator implements Validator<StrikeReport> {

  /** More than this launched in one report is a typo, not an attack (the largest on record is 810). */
  public static final int MAX_LAUNCHED = 5_000;
  /** A timed window longer than this would glue unrelated nights into one wave (longest on record: 27 h). */
  public static final Duration MAX_MINUTE_WINDOW = Duration.ofDays(7);

  @Override
  public List<FieldError> validate(String key, StrikeReport report) {
    List<FieldError> errors = new ArrayList<>();
    if (key == null || key.isBlank()) {
      errors.add(error("key", "must be the report id, got " + (key == null ? "no key" : "a blank key")));
    }
    if (report == null) {
      return errors;
    }
    if (report.getId() == null || report.getId().isBlank()) {
      errors.add(error("id", "must not be blank"));
    } else if (key != null && !key.equals(report.getId())) {
      errors.add(error("id", "must equal the record key '" + key + "', got '" + report.getId() + "'"));
    }
    if (report.getSource() == null || report.getSource().isBlank()) {
      errors.add(error("source", "must not be blank"));
    }
    if (report.getWeaponModel() == null || report.getWeaponModel().isBlank()) {
      errors.add(error("weaponModel", "must not be blank"));
    }
    if (report.getTimeStart() != null && report.getTimeEnd() != null) {
      if (report.getTimeEnd().isBefore(report.getTimeStart())) {
        errors.add(error("timeEnd", "must not be before timeStart (" + report.getTimeStart() + "), got " + report.getTimeEnd()));
      } else if (report.getTimePrecision() == TimePrecision.MINUTE
          && Duration.between(report.getTimeStart(), report.getTimeEnd()).compareTo(MAX_MINUTE_WINDOW) > 0) {
        errors.add(error("timeEnd", "a MINUTE-precision window must not be longer than " + MAX_MINUTE_WINDOW.toDays()
            + " days, got " + Duration.between(report.getTimeStart(), report.getTimeEnd())));
      }
    }
    if (report.getLaunched() < 0 || report.getLaunched() > MAX_LAUNCHED) {
      errors.add(error("launched", "must be between 0 and " + MAX_LAUNCHED + ", got " + report.getLaunched()));
    }
    Integer destroyed = report.getDestroyed();
    if (destroyed != null && (destroyed < 0 || destroyed > report.getLaunched())) {
      errors.add(error("destroyed", "must be between 0 and launched (" + report.getLaunched() + ") or absent, got " + destroyed));
    }
    return errors;
  }

  static FieldError error(String path, String message) {
    return FieldError.newBuilder().setPath(path).setMessage(message).build();
  }
}
